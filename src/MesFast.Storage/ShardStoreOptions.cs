namespace MesFast.Storage;

/// <summary>Sizing of one FASTER shard store. Defaults suit a dev node; a full node raises the memory budget.</summary>
public sealed record ShardStoreOptions
{
    /// <summary>Bytes of the hybrid log kept in memory (a power of two); older records live on disk and are read back on demand.</summary>
    public long MemoryBytes { get; init; } = 64L << 20;

    /// <summary>Log page size as a power of two (FASTER's PageSizeBits).</summary>
    public int PageSizeBits { get; init; } = 20;

    /// <summary>Hash index buckets (a power of two); each holds up to 7 entries before chaining.</summary>
    public long IndexBuckets { get; init; } = 1L << 16;

    /// <summary>Checkpoints kept on disk; at least 2 so a crash between shard checkpoints leaves a common one.</summary>
    public int RetainedCheckpoints { get; init; } = 3;

    /// <summary>
    /// Benchmarks only: FASTER's own managed file device instead of <see cref="ThreadedFileDevice"/>, to measure what
    /// the latter changes (perf <c>checkpoint-stall</c>).
    /// </summary>
    internal bool FasterManagedDevice { get; init; }

    internal int MemorySizeBits
    {
        get
        {
            if (MemoryBytes < (1L << (PageSizeBits + 1)) || (MemoryBytes & (MemoryBytes - 1)) != 0)
                throw new ArgumentException($"MemoryBytes must be a power of two of at least two pages, got {MemoryBytes}");
            return System.Numerics.BitOperations.Log2((ulong)MemoryBytes);
        }
    }
}
