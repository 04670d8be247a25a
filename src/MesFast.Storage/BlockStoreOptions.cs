namespace MesFast.Storage;

/// <summary>Sizing of the block log and its index store.</summary>
public sealed record BlockStoreOptions
{
    /// <summary>FasterLog memory (a power of two); recent blocks are served from it.</summary>
    public long LogMemoryBytes { get; init; } = 32L << 20;

    /// <summary>FasterLog page size bits; a page must hold the largest frame (4 MiB block + header).</summary>
    public int LogPageSizeBits { get; init; } = 23;

    /// <summary>The txid / block-hash index store.</summary>
    public ShardStoreOptions Index { get; init; } = new() { MemoryBytes = 32L << 20, IndexBuckets = 1L << 18 };
}
