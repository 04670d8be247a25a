using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using MesFast.Crypto;
using MesFast.Network.Framing;
using MesFast.Network.Handshake;

namespace MesFast.Network;

/// <summary>
/// One TCP connection to a peer: the handshake, then a receive loop (frames cut from a <see cref="PipeReader"/>,
/// rate-limited, dispatched to <see cref="PeerNetwork"/>) and a send loop draining a bounded queue of pre-encoded
/// frames into a <see cref="PipeWriter"/>. Anything malformed from the peer ends this connection only.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly PeerNetwork _network;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly Channel<byte[]> _sendQueue;
    private readonly CancellationTokenSource _stop = new();
    private readonly TokenBucket _byteBucket;
    private readonly TokenBucket _frameBucket;
    private long _queuedBytes;
    private int _closed;

    public PeerConnection(PeerNetwork network, Socket socket, bool outbound, string? dialAddress)
    {
        _network = network;
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        _sendQueue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(network.Options.SendQueueFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing waits
        });
        _byteBucket = new TokenBucket(network.Options.RateLimitBytesPerSecond);
        _frameBucket = new TokenBucket(network.Options.RateLimitFramesPerSecond);
        Outbound = outbound;
        DialAddress = dialAddress;
        RemoteEndpoint = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    public bool Outbound { get; }

    /// <summary>The address this node dialled (outbound only).</summary>
    public string? DialAddress { get; }

    public string RemoteEndpoint { get; }

    /// <summary>Set once the handshake has succeeded.</summary>
    public PeerInfo? Info { get; private set; }

    /// <summary>Ids this peer announced that the node still wants (bounded per peer; see PeerNetwork.MaxWantedPerPeer).</summary>
    internal int WantedFromPeer;

    /// <summary>Why the connection ended (for logs and tests).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Handshake, then the two loops until either ends; always closes the socket.</summary>
    public async Task RunAsync()
    {
        try
        {
            string? failure = await HandshakeAsync().ConfigureAwait(false);
            if (failure is not null)
            {
                Close(failure);
                return;
            }
            if (!_network.Register(this))
            {
                Close(CloseReason ?? "duplicate or unwanted connection");
                return;
            }
            Task send = SendLoopAsync();
            Task receive = ReceiveLoopAsync();
            await Task.WhenAny(send, receive).ConfigureAwait(false);
            Close(CloseReason ?? "connection closed");
            await Task.WhenAll(SwallowAsync(send), SwallowAsync(receive)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Close(e.Message);
        }
        finally
        {
            _network.Unregister(this);
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is closing; the reason is already recorded.
        }
    }

    /// <summary>Both sides send Hello at once, then sign each other's nonce. Returns null on success, else why not.</summary>
    private async Task<string?> HandshakeAsync()
    {
        NetworkOptions options = _network.Options;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(options.HandshakeTimeout);
        Span<byte> nonceBytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(nonceBytes);
        var nonce = new Hash32(nonceBytes);
        var hello = new HelloMessage(options.ChainId, options.GenesisHash, _network.NodeKey, nonce,
            (ushort)Math.Max(0, _network.ListenPort), _network.Handler.FinalizedTip.Height);
        try
        {
            await WriteDirectAsync(FrameWriter.Encode(FrameType.Hello, hello.Encode()), timeout.Token).ConfigureAwait(false);
            var (type, payload, error) = await ReadOneFrameAsync(timeout.Token).ConfigureAwait(false);
            if (error is not null) return error;
            if (type != FrameType.Hello) return $"expected hello, got {type}";
            if (!HelloMessage.TryDecode(payload, out HelloMessage? remote, out string helloError)) return helloError;
            if (remote!.ChainId != options.ChainId) return $"peer is on chain {remote.ChainId}, not {options.ChainId}";
            if (remote.GenesisHash != options.GenesisHash) return "peer has a different genesis";
            if (remote.NodeKey == _network.NodeKey)
            {
                if (DialAddress is not null) _network.MarkSelfAddress(DialAddress);
                return "connected to self";
            }
            Hash32 proofMessage = HandshakeProof.Message(remote.Nonce, options.ChainId, options.GenesisHash, _network.NodeKey, remote.NodeKey);
            await WriteDirectAsync(FrameWriter.Encode(FrameType.Auth, HandshakeProof.Sign(options.NodeSeed, proofMessage)), timeout.Token).ConfigureAwait(false);
            (type, payload, error) = await ReadOneFrameAsync(timeout.Token).ConfigureAwait(false);
            if (error is not null) return error;
            if (type != FrameType.Auth) return $"expected auth, got {type}";
            Hash32 expected = HandshakeProof.Message(nonce, options.ChainId, options.GenesisHash, remote.NodeKey, _network.NodeKey);
            if (!HandshakeProof.Verify(remote.NodeKey, expected, payload)) return "peer failed to prove its node key";

            string? listen = null;
            if (remote.ListenPort != 0 && _socket.RemoteEndPoint is System.Net.IPEndPoint ip)
                listen = PeerAddress.Format(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address, remote.ListenPort);
            Info = new PeerInfo(remote.NodeKey, RemoteEndpoint, Outbound ? DialAddress : listen, Outbound) { TipHeight = remote.TipHeight };
            return null;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return "handshake timed out";
        }
    }

    private async Task WriteDirectAsync(byte[] frame, CancellationToken token)
    {
        await _writer.WriteAsync(frame, token).ConfigureAwait(false);
    }

    /// <summary>Reads exactly one frame (handshake only). Returns (type, payload copy, null) or an error text.</summary>
    private async Task<(FrameType Type, byte[] Payload, string? Error)> ReadOneFrameAsync(CancellationToken token)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (FrameReader.TryRead(ref buffer, out FrameType type, out byte[] pooled, out int length, out FrameError error))
            {
                byte[] payload = pooled.AsSpan(0, length).ToArray();
                ArrayPool<byte>.Shared.Return(pooled);
                _reader.AdvanceTo(buffer.Start);
                return (type, payload, null);
            }
            if (error != FrameError.None) return (default, [], $"malformed frame: {error}");
            if (buffer.Length > HelloMessage.EncodedSize + 256) return (default, [], "oversized handshake frame");
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) return (default, [], "peer closed during the handshake");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        CancellationToken token = _stop.Token;
        PeerInfo info = Info!;
        while (!token.IsCancellationRequested)
        {
            ReadResult result = await _reader.ReadAsync(token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            long consumedBytes = 0;
            int frames = 0;
            FrameError error;
            while (true)
            {
                long before = buffer.Length;
                if (!FrameReader.TryRead(ref buffer, out FrameType type, out byte[] payload, out int length, out error)) break;
                consumedBytes += before - buffer.Length;
                frames++;
                try
                {
                    _network.Dispatch(this, info, type, payload.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(payload);
                }
                if (_closed != 0) return;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (error != FrameError.None)
            {
                _network.Penalize(this, _network.Options.BanThreshold, $"malformed frame: {error}");
                return;
            }
            if (result.IsCompleted) return;
            Interlocked.Add(ref info.BytesIn, consumedBytes);
            TimeSpan pause = Max(_byteBucket.Take(consumedBytes), _frameBucket.Take(frames));
            if (pause > TimeSpan.Zero) await Task.Delay(pause, token).ConfigureAwait(false);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task SendLoopAsync()
    {
        CancellationToken token = _stop.Token;
        ChannelReader<byte[]> queue = _sendQueue.Reader;
        PeerInfo info = Info!;
        while (await queue.WaitToReadAsync(token).ConfigureAwait(false))
        {
            long written = 0;
            while (queue.TryRead(out byte[]? frame))
            {
                _writer.Write(frame);
                written += frame.Length;
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                if (written >= 256 * 1024) break; // flush in bounded chunks so a big backlog streams out
            }
            Interlocked.Add(ref info.BytesOut, written);
            FlushResult flushed = await _writer.FlushAsync(token).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled) return;
        }
    }

    /// <summary>
    /// Queues a pre-encoded frame. False when the queue is full (frames or bytes): gossip is dropped; for frames the
    /// peer must get (<paramref name="mustDeliver"/>) a full queue means the peer cannot keep up and is disconnected.
    /// </summary>
    public bool TrySend(byte[] frame, bool mustDeliver)
    {
        if (_closed != 0) return false;
        long queued = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (queued > _network.Options.SendQueueBytes || !_sendQueue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            if (Info is { } info) Interlocked.Increment(ref info.FramesDropped);
            if (mustDeliver) Close("send queue full: peer too slow");
            return false;
        }
        return true;
    }

    /// <summary>Ends the connection (idempotent); the loops see the cancellation and <see cref="RunAsync"/> cleans up.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        _sendQueue.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public bool IsClosed => _closed != 0;

    public async ValueTask DisposeAsync()
    {
        Close(CloseReason ?? "disposed");
        try
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _writer.CompleteAsync().ConfigureAwait(false); // may flush into a dead socket
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
