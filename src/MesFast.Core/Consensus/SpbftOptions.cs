namespace MesFast.Core.Consensus;

/// <summary>Timeouts and buffer bounds of <see cref="SpbftEngine"/>.</summary>
public sealed record SpbftOptions
{
    /// <summary>Timeout of view 0 at a height; must exceed the block interval plus a round trip.</summary>
    public long BaseTimeoutMs { get; init; } = 4_000;

    /// <summary>Cap of the doubling timeout (view v waits min(base · 2^v, cap)).</summary>
    public long MaxTimeoutMs { get; init; } = 60_000;

    /// <summary>ViewChange/NewView messages for views more than this far ahead of the node's view are dropped.</summary>
    public uint MaxFutureViews { get; init; } = 64;

    /// <summary>Messages for heights more than this far ahead of the node's height are dropped (catch-up fetches blocks instead).</summary>
    public ulong MaxFutureHeights { get; init; } = 4;

    /// <summary>Buffered future messages per claimed author; one witness cannot crowd out the others.</summary>
    public int MaxBufferedPerWitness { get; init; } = 64;

    /// <summary>The timeout of <paramref name="view"/>: doubles each failed view at a height, capped.</summary>
    public long TimeoutFor(uint view)
    {
        long timeout = BaseTimeoutMs;
        for (uint v = 0; v < view && timeout < MaxTimeoutMs; v++) timeout *= 2;
        return Math.Min(timeout, MaxTimeoutMs);
    }
}
