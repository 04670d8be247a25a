using System.Net;
using System.Net.Sockets;
using MesFast.Core.Codec;
using MesFast.Crypto;
using MesFast.Network.Framing;
using MesFast.Network.Gossip;
using MesFast.Network.Messages;

namespace MesFast.Network;

/// <summary>
/// A node's peer-to-peer network (PROTOCOL §9): listens, dials seeds and exchanged addresses up to a target count
/// with exponential back-off, authenticates peers by node key, gossips transactions, consensus messages and final
/// blocks with a bounded seen-set, syncs final blocks from peers that are ahead, and bans peers that send invalid
/// data. Connections are owned by their own loops; the peer table is copy-on-write so broadcasts never lock.
/// </summary>
public sealed partial class PeerNetwork : IAsyncDisposable
{
    private readonly object _gate = new(); // guards the peer table, addresses, back-off and bans (connect/disconnect rate, not per frame)
    private readonly Dictionary<Hash32, PeerConnection> _byKey = [];
    private readonly HashSet<PeerConnection> _connections = [];
    private volatile PeerConnection[] _established = [];
    private readonly Dictionary<string, Backoff> _addresses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _selfAddresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _bannedAddresses = new(StringComparer.Ordinal);
    private readonly Dictionary<Hash32, DateTime> _bannedKeys = [];
    private readonly HashSet<string> _dialing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private TcpListener? _listener;
    private Task? _maintenance;
    private DateTime _nextStatus, _nextExchange;

    // Sync: at most one outstanding GetBlocks, to one peer.
    private PeerConnection? _syncPeer;
    private DateTime _syncDeadline;

    public PeerNetwork(NetworkOptions options, INetworkHandler handler, Action<string>? log = null)
    {
        Options = options;
        Handler = handler;
        Log = log ?? (_ => { });
        Span<byte> key = stackalloc byte[32];
        Ed25519.PublicKeyFromSeed(options.NodeSeed, key);
        NodeKey = new Hash32(key);
        Seen = new SeenSet(options.SeenSetCapacity);
        foreach (string seed in options.Seeds) AddAddress(seed);
    }

    public NetworkOptions Options { get; }

    internal INetworkHandler Handler { get; }

    internal Action<string> Log { get; }

    /// <summary>This node's public node key.</summary>
    public Hash32 NodeKey { get; }

    internal SeenSet Seen { get; }

    /// <summary>The bound port (after <see cref="Start"/>), or -1 when not listening.</summary>
    public int ListenPort { get; private set; } = -1;

    public int PeerCount => _established.Length;

    /// <summary>The established connections (tests send raw frames through them).</summary>
    internal IReadOnlyList<PeerConnection> Connections => _established;

    /// <summary>A snapshot of the connected, authenticated peers.</summary>
    public IReadOnlyList<PeerInfo> Peers
    {
        get
        {
            PeerConnection[] peers = _established;
            var list = new List<PeerInfo>(peers.Length);
            foreach (PeerConnection p in peers) list.Add(p.Info!);
            return list;
        }
    }

    /// <summary>Binds the listener (if any) and starts accepting, dialling and maintenance.</summary>
    /// <exception cref="SocketException">The listen address cannot be bound (environment fault, e.g. port in use).</exception>
    public void Start()
    {
        if (Options.ListenPort >= 0)
        {
            _listener = new TcpListener(Options.ListenAddress, Options.ListenPort);
            _listener.Start(backlog: 128);
            ListenPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _selfAddresses.Add(PeerAddress.Format(Options.ListenAddress, ListenPort));
            _tasks.Add(Task.Run(AcceptLoopAsync));
        }
        _maintenance = Task.Run(MaintenanceLoopAsync);
        _txFlusher = new Thread(FlushLoop) { IsBackground = true, Name = "mesd-tx-gossip" };
        _txFlusher.Start();
    }

    /// <summary>Transactions wait at most this long for their batch: small against a block interval, long enough to batch.</summary>
    private const int TxFlushMs = 5;

    /// <summary>
    /// Sends batched transactions and announcements and fetches missing ones, every <see cref="TxFlushMs"/>. Its own
    /// thread rather than a timer: a timer tick is a wake of the timer thread plus a thread-pool work item, and at 200
    /// ticks a second per node those hops cost more CPU than the flushing itself.
    /// </summary>
    private void FlushLoop()
    {
        while (!_stop.Token.WaitHandle.WaitOne(TxFlushMs))
        {
            FlushTransactions();
            FlushAnnouncements();
        }
    }

    /// <summary>Adds a "host:port" to dial (from config or peer exchange); malformed text is ignored (false).</summary>
    public bool AddAddress(string address)
    {
        if (!PeerAddress.TryParse(address, out _, out _)) return false;
        lock (_gate)
        {
            if (_addresses.ContainsKey(address) || _selfAddresses.Contains(address)) return false;
            if (_addresses.Count >= Options.MaxKnownAddresses) return false;
            _addresses[address] = new Backoff();
            return true;
        }
    }

    internal void MarkSelfAddress(string address)
    {
        lock (_gate)
        {
            _selfAddresses.Add(address);
            _addresses.Remove(address);
        }
    }

    /// <summary>
    /// Gossips a transaction to every peer (and remembers it so echoes are not re-handled). Transactions are sent in
    /// batches (one Transactions frame per flush, every few milliseconds or when a batch fills): one frame, one
    /// write and one seen-set pass per batch instead of per transaction, and receivers admit them together.
    /// </summary>
    public void BroadcastTransaction(byte[] transaction)
    {
        // No early return on "seen": the node calls this once per transaction its mempool newly admits, including
        // ones that arrived from a peer (already marked seen on arrival) and must now be relayed.
        // The array is kept, not copied: the caller hands it over (the mempool's transaction arrays never change).
        Hash32 id = GossipHash(FrameType.Transaction, transaction);
        Seen.Add(id);
        Remember(id, transaction); // a peer that missed the push can still fetch it after a relay's announcement
        _txOutbox.Enqueue(transaction);
        long bytes = Interlocked.Add(ref _txOutboxBytes, transaction.Length + 5);
        if (_txOutbox.Count >= TxBatchMaxCount || bytes >= TxBatchMaxBytes) FlushTransactions();
    }

    private const int TxBatchMaxCount = 1024;
    private const int TxBatchMaxBytes = 1 << 20;
    private readonly System.Collections.Concurrent.ConcurrentQueue<byte[]> _txOutbox = new();
    private long _txOutboxBytes;
    private int _flushing;
    private Thread? _txFlusher;

    /// <summary>Sends what the outbox holds as Transactions frames (one flusher at a time; others leave it to that one).</summary>
    private void FlushTransactions()
    {
        if (Interlocked.Exchange(ref _flushing, 1) != 0) return;
        try
        {
            while (!_txOutbox.IsEmpty)
            {
                var batch = new List<byte[]>(Math.Min(_txOutbox.Count, TxBatchMaxCount));
                int bytes = 5;
                while (batch.Count < TxBatchMaxCount && bytes < TxBatchMaxBytes && _txOutbox.TryDequeue(out byte[]? tx))
                {
                    batch.Add(tx);
                    bytes += tx.Length + 5;
                    Interlocked.Add(ref _txOutboxBytes, -(tx.Length + 5));
                }
                if (batch.Count == 0) break;
                byte[] frame = FrameWriter.Encode(FrameType.Transactions, PeerMessages.EncodeTransactions(batch));
                foreach (PeerConnection peer in _established) peer.TrySend(frame, mustDeliver: false);
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    /// <summary>Sends a consensus message to every peer; peers relay it once, so witnesses not directly connected get it too.</summary>
    public void BroadcastConsensus(ReadOnlySpan<byte> message) => Gossip(FrameType.Consensus, message, except: null);

    /// <summary>Announces a final block with its certificate (full nodes follow the chain from these).</summary>
    /// <remarks>
    /// Peers whose node key is in <paramref name="holders"/> are skipped: witnesses that signed the block's Commit have
    /// it, and each witness announcing to every other witness sent every block n·(n−1) extra times (compressed,
    /// hashed and dropped on arrival). A holder that still lacks finality learns the height from Status and syncs.
    /// </remarks>
    public void BroadcastFinalBlock(ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate, IReadOnlyList<Hash32>? holders = null)
        => Gossip(FrameType.FinalBlock, PeerMessages.EncodeFinalBlock(block, certificate), except: null, holders);

    private static bool Contains(IReadOnlyList<Hash32> keys, in Hash32 key)
    {
        for (int i = 0; i < keys.Count; i++)
            if (keys[i] == key) return true;
        return false;
    }

    /// <summary>
    /// Sends to every peer but <paramref name="except"/>, those whose node key is in <paramref name="skipKeys"/>, and
    /// with <paramref name="followersOnly"/> the current witnesses.
    /// </summary>
    private void Gossip(FrameType type, ReadOnlySpan<byte> payload, PeerConnection? except, IReadOnlyList<Hash32>? skipKeys = null,
        bool followersOnly = false)
    {
        Seen.Add(GossipHash(type, payload));
        byte[]? frame = null; // encoded (and compressed) only if some peer gets it
        bool mustDeliver = type == FrameType.Consensus;
        foreach (PeerConnection peer in _established)
        {
            if (ReferenceEquals(peer, except)) continue;
            if (skipKeys is not null && peer.Info is { } info && Contains(skipKeys, info.NodeKey)) continue;
            if (followersOnly && peer.Info is { } peerInfo && Handler.IsCurrentWitness(peerInfo.NodeKey)) continue;
            frame ??= FrameWriter.Encode(type, payload);
            peer.TrySend(frame, mustDeliver);
        }
    }

    private static readonly Blake3Key GossipDomain = DomainHash.ForTag("p2p-gossip");

    /// <summary>Type byte plus payload up to one BLAKE3 chunk.</summary>
    private const int SingleChunkGossip = 1024;

    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static Hash32 GossipHash(FrameType type, ReadOnlySpan<byte> payload)
    {
        // The type is part of the key so equal bytes of different kinds never shadow each other.
        if (payload.Length < SingleChunkGossip)
        {
            // Transactions and votes: one chunk, hashed one-shot (the incremental hasher's state costs more than the hash).
            Span<byte> message = stackalloc byte[SingleChunkGossip];
            message[0] = (byte)type;
            payload.CopyTo(message[1..]);
            return DomainHash.Compute(GossipDomain, message[..(payload.Length + 1)]);
        }
        var hasher = new Blake3Hasher(GossipDomain);
        hasher.Update([(byte)type]);
        hasher.Update(payload);
        Span<byte> hash = stackalloc byte[32];
        hasher.Finalize(hash);
        return new Hash32(hash);
    }

    /// <summary>Handles one frame from an established peer (called on that peer's receive loop).</summary>
    internal void Dispatch(PeerConnection connection, PeerInfo info, FrameType type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case FrameType.Ping:
                if (PeerMessages.TryDecodeU64(payload, out ulong nonce)) connection.TrySend(FrameWriter.Encode(FrameType.Pong, PeerMessages.EncodeU64(nonce)), mustDeliver: false);
                else Penalize(connection, Options.BanThreshold, "malformed ping");
                break;
            case FrameType.Pong:
                if (!PeerMessages.TryDecodeU64(payload, out _)) Penalize(connection, Options.BanThreshold, "malformed pong");
                break;
            case FrameType.GetPeers:
                if (payload.Length != 0) { Penalize(connection, Options.BanThreshold, "malformed get-peers"); break; }
                connection.TrySend(FrameWriter.Encode(FrameType.Peers, PeerMessages.EncodePeers(ShareableAddresses(info))), mustDeliver: false);
                break;
            case FrameType.Peers:
                var addresses = new List<string>();
                if (!PeerMessages.TryDecodePeers(payload, addresses)) { Penalize(connection, Options.BanThreshold, "malformed peers"); break; }
                foreach (string a in addresses) AddAddress(a);
                break;
            case FrameType.Status:
                if (!PeerMessages.TryDecodeStatus(payload, out ulong height, out _)) { Penalize(connection, Options.BanThreshold, "malformed status"); break; }
                info.TipHeight = height;
                break;
            case FrameType.Transaction:
                if (payload.Length > Core.ProtocolLimits.MaxTxBytes) { Penalize(connection, Options.BanThreshold, "oversized transaction"); break; }
                HandleGossip(connection, info, type, payload);
                break;
            case FrameType.Consensus:
            case FrameType.FinalBlock:
                HandleGossip(connection, info, type, payload);
                break;
            case FrameType.Transactions:
                ReceiveTransactions(connection, info, payload);
                break;
            case FrameType.TxAnnounce:
                ReceiveAnnouncement(connection, payload);
                break;
            case FrameType.GetTransactions:
                ServeTransactions(connection, payload);
                break;
            case FrameType.GetBlocks:
                if (!PeerMessages.TryDecodeGetBlocks(payload, out ulong from, out int max)) { Penalize(connection, Options.BanThreshold, "malformed get-blocks"); break; }
                ServeBlocks(connection, from, max);
                break;
            case FrameType.Blocks:
                ReceiveBlocks(connection, info, payload);
                break;
            default:
                // Hello and Auth after the handshake are protocol violations.
                Penalize(connection, Options.BanThreshold, $"unexpected {type}");
                break;
        }
    }

    private void HandleGossip(PeerConnection connection, PeerInfo info, FrameType type, ReadOnlySpan<byte> payload)
    {
        Hash32 id = GossipHash(type, payload);
        if (!Seen.Add(id)) return;
        PeerVerdict verdict;
        if (type == FrameType.Transaction) verdict = Handler.OnTransaction(info, payload, id);
        else if (type == FrameType.Consensus) verdict = Handler.OnConsensus(info, payload);
        else if (!PeerMessages.TryDecodeFinalBlock(payload, out ReadOnlySpan<byte> block, out ReadOnlySpan<byte> cert)) verdict = PeerVerdict.Malicious;
        else verdict = Handler.OnFinalBlock(info, block, cert);
        Judge(connection, verdict, type.ToString());
        if (verdict is PeerVerdict.Accepted or PeerVerdict.AcceptedToFollowers)
            Gossip(type, payload, except: connection, followersOnly: verdict == PeerVerdict.AcceptedToFollowers);
    }

    /// <summary>A batch of gossiped transactions: each new one goes to the node (which relays what its mempool admits).</summary>
    private void ReceiveTransactions(PeerConnection connection, PeerInfo info, ReadOnlySpan<byte> payload)
    {
        var r = new CodecReader(payload);
        if (!r.TryReadCount(PeerMessages.MaxTransactionsPerFrame, out int count)) { Penalize(connection, Options.BanThreshold, "malformed transactions"); return; }
        int offset = r.Offset;
        for (int i = 0; i < count; i++)
        {
            if (!PeerMessages.TryReadTransaction(payload, ref offset, out ReadOnlySpan<byte> tx))
            {
                Penalize(connection, Options.BanThreshold, "malformed transactions");
                return;
            }
            Hash32 id = GossipHash(FrameType.Transaction, tx);
            if (!Seen.Add(id)) continue;
            OnTransactionArrived(id);
            PeerVerdict verdict = Handler.OnTransaction(info, tx, id);
            Judge(connection, verdict, "transaction");
            if (verdict == PeerVerdict.Accepted) Announce(id, tx.ToArray(), info);
            if (connection.IsClosed) return;
        }
        if (offset != payload.Length) Penalize(connection, Options.BanThreshold, "malformed transactions");
    }

    private void Judge(PeerConnection connection, PeerVerdict verdict, string what)
    {
        if (verdict == PeerVerdict.Invalid) Penalize(connection, 10, $"invalid {what}");
        else if (verdict == PeerVerdict.Malicious) Penalize(connection, Options.BanThreshold, $"malicious {what}");
    }

    private void ServeBlocks(PeerConnection connection, ulong from, int max)
    {
        var blocks = new List<(byte[] Block, byte[] Cert)>();
        int bytes = 5;
        for (ulong h = from; blocks.Count < max && Handler.TryGetFinalBlock(h, out byte[] block, out byte[] cert); h++)
        {
            int size = PeerMessages.FinalBlockSize(block.Length, cert.Length);
            if (blocks.Count > 0 && bytes + size > PeerMessages.MaxBlocksReplyBytes) break;
            if (bytes + size > FrameLimits.MaxPayloadBytes) break;
            blocks.Add((block, cert));
            bytes += size;
        }
        var buffer = new byte[bytes];
        var w = new CodecWriter(buffer);
        w.WriteVarint(blocks.Count);
        foreach (var (block, cert) in blocks) PeerMessages.WriteFinalBlock(ref w, block, cert);
        connection.TrySend(FrameWriter.Encode(FrameType.Blocks, buffer.AsSpan(0, w.Offset)), mustDeliver: false);
    }

    private void ReceiveBlocks(PeerConnection connection, PeerInfo info, ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_syncPeer, connection))
            {
                Penalize(connection, 10, "unrequested blocks");
                return;
            }
            _syncPeer = null;
        }
        var r = new CodecReader(payload);
        if (!r.TryReadCount(PeerMessages.MaxBlocksPerReply, out int count)) { Penalize(connection, Options.BanThreshold, "malformed blocks"); return; }
        int offset = r.Offset;
        bool ignored = false;
        for (int i = 0; i < count; i++)
        {
            if (!PeerMessages.TryReadFinalBlock(payload, ref offset, out ReadOnlySpan<byte> block, out ReadOnlySpan<byte> cert))
            {
                Penalize(connection, Options.BanThreshold, "malformed blocks");
                return;
            }
            PeerVerdict verdict = Handler.OnFinalBlock(info, block, cert);
            Judge(connection, verdict, "synced block");
            if (verdict is PeerVerdict.Invalid or PeerVerdict.Malicious) return;
            // A block the node could not take yet (e.g. past the witness schedule it knows) must be asked for again.
            if (verdict == PeerVerdict.Ignored) ignored = true;
        }
        if (offset != payload.Length) { Penalize(connection, Options.BanThreshold, "malformed blocks"); return; }
        if (count < PeerMessages.MaxBlocksPerReply || ignored)
        {
            lock (_gate) _syncNext = 0; // the peer had no more, or some were not taken: start again from the tip
        }
        // More may be missing: ask again at once instead of waiting for the next maintenance tick.
        if (count > 0) RequestSync(DateTime.UtcNow);
    }

    /// <summary>Adds penalty points; at the threshold the peer is dropped and its key and address banned.</summary>
    internal void Penalize(PeerConnection connection, int points, string reason)
    {
        PeerInfo? info = connection.Info;
        int score = info?.AddBanScore(points) ?? points;
        if (score < Options.BanThreshold) return;
        Log($"banning {connection.RemoteEndpoint}: {reason}");
        DateTime until = DateTime.UtcNow + Options.BanDuration;
        lock (_gate)
        {
            if (info is not null) _bannedKeys[info.NodeKey] = until;
            string? address = connection.DialAddress ?? info?.ListenAddress;
            if (address is not null) _bannedAddresses[address] = until;
        }
        connection.Close($"banned: {reason}");
    }

    /// <summary>Penalises a peer for data judged after its frame was handled (e.g. a transaction the mempool rejected as forged).</summary>
    public void Penalize(PeerInfo peer, int points, string reason)
    {
        PeerConnection? connection;
        lock (_gate) _byKey.TryGetValue(peer.NodeKey, out connection);
        if (connection is not null && ReferenceEquals(connection.Info, peer)) Penalize(connection, points, reason);
    }

    /// <summary>True when the peer's node key is banned right now.</summary>
    public bool IsBanned(in Hash32 nodeKey)
    {
        lock (_gate) return _bannedKeys.TryGetValue(nodeKey, out DateTime until) && until > DateTime.UtcNow;
    }

    /// <summary>Adds an authenticated connection to the peer table; false (with a reason) for duplicates, bans or a full table.</summary>
    internal bool Register(PeerConnection connection)
    {
        PeerInfo info = connection.Info!;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return Reject(connection, "shutting down");
            if (_bannedKeys.TryGetValue(info.NodeKey, out DateTime until) && until > DateTime.UtcNow) return Reject(connection, "banned");
            if (_byKey.ContainsKey(info.NodeKey)) return Reject(connection, "already connected to this node");
            int inbound = 0;
            foreach (PeerConnection c in _byKey.Values) if (!c.Outbound) inbound++;
            if (!connection.Outbound && inbound >= Options.MaxInbound) return Reject(connection, "too many inbound peers");
            _byKey[info.NodeKey] = connection;
            _established = [.. _byKey.Values];
            string? address = connection.DialAddress ?? info.ListenAddress;
            if (address is not null)
            {
                if (!_addresses.TryGetValue(address, out Backoff? backoff) && !_selfAddresses.Contains(address) && _addresses.Count < Options.MaxKnownAddresses)
                    _addresses[address] = backoff = new Backoff();
                backoff?.Succeeded();
            }
        }
        Log($"peer up {info}");
        connection.TrySend(FrameWriter.Encode(FrameType.Status, StatusPayload()), mustDeliver: false);
        connection.TrySend(FrameWriter.Encode(FrameType.GetPeers, []), mustDeliver: false);
        return true;
    }

    private static bool Reject(PeerConnection connection, string reason)
    {
        connection.Close(reason);
        return false;
    }

    internal void Unregister(PeerConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            if (connection.Info is { } info && _byKey.TryGetValue(info.NodeKey, out PeerConnection? current) && ReferenceEquals(current, connection))
            {
                _byKey.Remove(info.NodeKey);
                _established = [.. _byKey.Values];
                Log($"peer down {info}: {connection.CloseReason}");
            }
            if (ReferenceEquals(_syncPeer, connection)) _syncPeer = null;
            if (connection.DialAddress is { } address)
            {
                _dialing.Remove(address);
                if (_addresses.TryGetValue(address, out Backoff? backoff)) backoff.Failed(Options.MinBackoff, Options.MaxBackoff);
            }
        }
    }

    private byte[] StatusPayload()
    {
        var (height, hash) = Handler.FinalizedTip;
        return PeerMessages.EncodeStatus(height, hash);
    }

    /// <summary>Listen addresses of other peers (never the asker's own, never unknown ones).</summary>
    private List<string> ShareableAddresses(PeerInfo asker)
    {
        var list = new List<string>();
        foreach (PeerConnection p in _established)
        {
            string? a = p.Info!.ListenAddress;
            if (a is not null && !ReferenceEquals(p.Info, asker) && list.Count < PeerMessages.MaxPeerAddresses) list.Add(a);
        }
        return list;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log($"accept failed: {e.Message}");
                continue;
            }
            StartConnection(new PeerConnection(this, socket, outbound: false, dialAddress: null));
        }
    }

    private void StartConnection(PeerConnection connection)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                connection.Close("shutting down");
                return;
            }
            _connections.Add(connection);
            _tasks.Add(Task.Run(connection.RunAsync));
            _tasks.RemoveAll(t => t.IsCompleted);
        }
    }

    private async Task DialAsync(string address)
    {
        if (!PeerAddress.TryParse(address, out string host, out int port)) return; // AddAddress admits parseable text only
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or ArgumentException)
        {
            socket.Dispose();
            lock (_gate)
            {
                _dialing.Remove(address);
                if (_addresses.TryGetValue(address, out Backoff? backoff)) backoff.Failed(Options.MinBackoff, Options.MaxBackoff);
            }
            return;
        }
        StartConnection(new PeerConnection(this, socket, outbound: true, dialAddress: address));
    }

    private async Task MaintenanceLoopAsync()
    {
        using var timer = new PeriodicTimer(Options.MaintenanceInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Maintain();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One maintenance step: dial towards the target, status and peer exchange on their intervals, sync.</summary>
    private void Maintain()
    {
        DateTime now = DateTime.UtcNow;
        var toDial = new List<string>();
        lock (_gate)
        {
            int outbound = _dialing.Count;
            foreach (PeerConnection c in _byKey.Values) if (c.Outbound) outbound++;
            if (outbound < Options.TargetOutbound)
            {
                var connected = new HashSet<string>(StringComparer.Ordinal);
                foreach (PeerConnection c in _byKey.Values)
                {
                    if (c.DialAddress is not null) connected.Add(c.DialAddress);
                    if (c.Info?.ListenAddress is not null) connected.Add(c.Info.ListenAddress);
                }
                foreach (var (address, backoff) in _addresses)
                {
                    if (outbound + toDial.Count >= Options.TargetOutbound) break;
                    if (connected.Contains(address) || _dialing.Contains(address) || backoff.NextAttempt > now) continue;
                    if (_bannedAddresses.TryGetValue(address, out DateTime until) && until > now) continue;
                    toDial.Add(address);
                    _dialing.Add(address);
                    backoff.NextAttempt = now + Options.MaxBackoff; // until the attempt reports back
                }
            }
        }
        foreach (string address in toDial) _ = DialAsync(address).ContinueWith(t => MarkDialDone(address, t), TaskScheduler.Default);

        if (now >= _nextStatus)
        {
            _nextStatus = now + Options.StatusInterval;
            byte[] status = FrameWriter.Encode(FrameType.Status, StatusPayload());
            foreach (PeerConnection p in _established) p.TrySend(status, mustDeliver: false);
        }
        if (now >= _nextExchange)
        {
            _nextExchange = now + Options.PeerExchangeInterval;
            byte[] ask = FrameWriter.Encode(FrameType.GetPeers, []);
            foreach (PeerConnection p in _established) p.TrySend(ask, mustDeliver: false);
        }
        RequestSync(now);
    }

    private static void MarkDialDone(string address, Task dial)
    {
        _ = address;
        _ = dial.Exception; // observed: DialAsync handles its own failures
    }

    /// <summary>
    /// Asks the peer with the highest tip for the next blocks when it is ahead of this node. The node applies
    /// delivered blocks on its own thread, so its tip lags what was already fetched: requests continue after the
    /// highest height asked for (not after the tip), up to <see cref="SyncWindow"/> heights ahead of the tip.
    /// </summary>
    private void RequestSync(DateTime now)
    {
        ulong local = Handler.FinalizedTip.Height;
        PeerConnection? best = null;
        ulong from;
        lock (_gate)
        {
            if (_syncPeer is not null && now < _syncDeadline && !_syncPeer.IsClosed) return;
            if (_syncPeer is not null) _syncNext = 0; // timed out or closed: what it owed may be missing; restart from the tip
            _syncPeer = null;
            if (local != _syncTip)
            {
                _syncTip = local;
                _syncTipSince = now;
            }
            else if (_syncNext != 0 && now - _syncTipSince > Options.SyncRequestTimeout)
            {
                _syncNext = 0; // fetched blocks did not advance the tip: fetch from the tip again
                _syncTipSince = now;
            }
            from = Math.Max(local + 1, _syncNext);
            if (from > local + SyncWindow) return;   // let the node catch up with what it has
            foreach (PeerConnection p in _established)
            {
                if (p.Info!.TipHeight >= from && (best is null || p.Info.TipHeight > best.Info!.TipHeight)) best = p;
            }
            if (best is null)
            {
                _syncNext = 0;
                return;
            }
            // One block behind while the local tip still moves is the normal lag of a busy witness: fetching that block
            // would transfer and check a block its own consensus is about to finalise (under load, most sync traffic).
            if (_syncNext == 0 && best.Info!.TipHeight == local + 1 && now - _syncTipSince < Options.SyncGrace) return;
            _syncPeer = best;
            _syncDeadline = now + Options.SyncRequestTimeout;
            _syncNext = from + PeerMessages.MaxBlocksPerReply;
        }
        best.TrySend(FrameWriter.Encode(FrameType.GetBlocks, PeerMessages.EncodeGetBlocks(from, PeerMessages.MaxBlocksPerReply)), mustDeliver: false);
    }

    /// <summary>How far past its tip a node fetches blocks (the chain buffers up to 256 ahead).</summary>
    private const ulong SyncWindow = 192;

    /// <summary>Next height to request (0: start from the tip). Guarded by the gate.</summary>
    private ulong _syncNext;

    /// <summary>The tip at the last sync decision and since when it has not moved. Guarded by the gate.</summary>
    private ulong _syncTip;
    private DateTime _syncTipSince = DateTime.UtcNow;

    /// <summary>Connections being set up or running (diagnostics and tests).</summary>
    internal int ConnectionCount
    {
        get
        {
            lock (_gate) return _connections.Count;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] tasks;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            foreach (PeerConnection c in _connections) c.Close("node stopping");
            tasks = [.. _tasks];
        }
        _listener?.Stop();
        _txFlusher?.Join(TimeSpan.FromSeconds(5));
        if (_maintenance is not null) tasks = [.. tasks, _maintenance];
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            Log("network: some connections did not stop within 10 s");
        }
        _stop.Dispose();
    }

    /// <summary>Reconnect schedule of one address: doubling delay per consecutive failure, reset by a handshake.</summary>
    private sealed class Backoff
    {
        public int Failures;
        public DateTime NextAttempt = DateTime.MinValue;

        public void Failed(TimeSpan min, TimeSpan max)
        {
            Failures = Math.Min(Failures + 1, 20);
            double seconds = Math.Min(max.TotalSeconds, min.TotalSeconds * Math.Pow(2, Failures - 1));
            // Jitter (up to 25 %) keeps a restarted network's nodes from redialling in lockstep.
            seconds *= 1 + (Random.Shared.NextDouble() * 0.25);
            NextAttempt = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        }

        public void Succeeded()
        {
            Failures = 0;
            NextAttempt = DateTime.UtcNow;
        }
    }
}
