using System.Net;
using MesFast.Crypto;

namespace MesFast.Network;

/// <summary>Settings of a node's peer-to-peer network (PROTOCOL §9). Defaults suit a public node; tests shorten the timers.</summary>
public sealed class NetworkOptions
{
    public required uint ChainId { get; init; }

    public required Hash32 GenesisHash { get; init; }

    /// <summary>The node key's 32-byte Ed25519 seed; its public key is the node's identity in handshakes.</summary>
    public required byte[] NodeSeed { get; init; }

    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (see <see cref="PeerNetwork.ListenPort"/>); -1 does not listen.</summary>
    public int ListenPort { get; init; }

    /// <summary>"host:port" addresses dialled at start and whenever the node has too few peers.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public int TargetOutbound { get; init; } = 8;

    public int MaxInbound { get; init; } = 32;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan PeerExchangeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a node one block behind its best peer waits before fetching that block: it is usually still processing
    /// the Commit votes of a block its peers have just finalised, and consensus delivers that block anyway.
    /// </summary>
    public TimeSpan SyncGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A sync request not answered within this is abandoned and retried with another peer.</summary>
    public TimeSpan SyncRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int SendQueueFrames { get; init; } = 16_384;

    public long SendQueueBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Inbound bytes per second per peer (token bucket; reading pauses when exceeded, TCP pushes back).</summary>
    public long RateLimitBytesPerSecond { get; init; } = 64L * 1024 * 1024;

    /// <summary>Inbound frames per second per peer.</summary>
    public int RateLimitFramesPerSecond { get; init; } = 100_000;

    public int BanThreshold { get; init; } = 100;

    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most transaction/block/consensus payload hashes remembered to stop gossip loops.</summary>
    public int SeenSetCapacity { get; init; } = 1 << 17;

    /// <summary>Most addresses remembered from seeds and peer exchange.</summary>
    public int MaxKnownAddresses { get; init; } = 1024;
}
