using MesFast.Crypto;

namespace MesFast.Network;

/// <summary>What is known of a connected peer (a snapshot-friendly view for handlers, RPC and status lines).</summary>
public sealed class PeerInfo
{
    internal PeerInfo(Hash32 nodeKey, string remoteEndpoint, string? listenAddress, bool outbound)
    {
        NodeKey = nodeKey;
        RemoteEndpoint = remoteEndpoint;
        ListenAddress = listenAddress;
        Outbound = outbound;
        ConnectedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The peer's node key, proven in the handshake.</summary>
    public Hash32 NodeKey { get; }

    public string RemoteEndpoint { get; }

    /// <summary>Where the peer accepts connections ("host:port"), or null when it does not listen.</summary>
    public string? ListenAddress { get; }

    public bool Outbound { get; }

    public DateTimeOffset ConnectedAt { get; }

    private long _tipHeight;

    /// <summary>The peer's newest final height, from its handshake and Status frames.</summary>
    public ulong TipHeight
    {
        get => (ulong)Interlocked.Read(ref _tipHeight);
        internal set => Interlocked.Exchange(ref _tipHeight, (long)value);
    }

    private int _banScore;

    /// <summary>Penalty points for invalid data; at <see cref="NetworkOptions.BanThreshold"/> the peer is dropped and banned.</summary>
    public int BanScore => Volatile.Read(ref _banScore);

    internal int AddBanScore(int points) => Interlocked.Add(ref _banScore, points);

    internal long BytesIn;
    internal long BytesOut;
    internal long FramesDropped;

    public long BytesReceived => Interlocked.Read(ref BytesIn);

    public long BytesSent => Interlocked.Read(ref BytesOut);

    /// <summary>Frames not queued because the peer's send queue was full.</summary>
    public long Dropped => Interlocked.Read(ref FramesDropped);

    public override string ToString() => $"{RemoteEndpoint} ({NodeKey.ToString()[..8]})";
}
