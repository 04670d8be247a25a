namespace MesFast.Core.Storage;

/// <summary>
/// One SSA shard's key-value store (DESIGN §7: every shard is its own FASTER KV). Keys and values are opaque
/// bytes; the ledger defines their layout (docs/PROTOCOL.md §7).
/// Threading: exactly one writer thread per shard at a time (the shard's execution lane); any number of
/// concurrent readers (RPC queries) on other threads.
/// </summary>
public interface IShardStore : IDisposable
{
    /// <summary>Largest key the store accepts.</summary>
    const int MaxKeyBytes = 256;

    /// <summary>Largest value the store accepts.</summary>
    const int MaxValueBytes = 65_536;

    /// <summary>This store's shard index in [0, S).</summary>
    int Shard { get; }

    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="destination"/> and returns its length, or
    /// returns -1 when the key is absent. Records that left memory are read from disk before returning (never
    /// reported absent because a read went pending). Throws <see cref="ArgumentException"/> when the destination
    /// is shorter than the value (a bug: callers size buffers from the record layout or MaxValueBytes).
    /// </summary>
    int Read(ReadOnlySpan<byte> key, Span<byte> destination);

    /// <summary>Inserts or replaces a record.</summary>
    void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Removes a record; returns false when it was absent.</summary>
    bool Delete(ReadOnlySpan<byte> key);

    /// <summary>
    /// Adds a record whose key the caller knows is absent (a new UTXO: its txid is new). Skips the presence check
    /// <see cref="Upsert"/> makes to keep <see cref="Count"/> exact; inserting a present key corrupts the count.
    /// </summary>
    void Insert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Removes a record the caller knows is present (an input it just read). Skips the presence check.</summary>
    void Remove(ReadOnlySpan<byte> key);

    /// <summary>
    /// Durably snapshots the current content tagged with the block <paramref name="height"/> it reflects; returns
    /// once the snapshot is on disk. Older snapshots beyond the retained few may be deleted.
    /// </summary>
    void Checkpoint(ulong height);

    /// <summary>
    /// Starts a durable snapshot of the current content tagged with <paramref name="height"/> and returns once its
    /// content is fixed: writes made after the call returns are not in it. The task completes when the snapshot is on
    /// disk and listed in <see cref="CheckpointHeights"/>. One runs at a time (a second call waits for the first); call
    /// from the writer thread, between writes.
    /// </summary>
    Task BeginCheckpoint(ulong height);

    /// <summary>Heights of the durable snapshots on disk, ascending.</summary>
    IReadOnlyList<ulong> CheckpointHeights { get; }

    /// <summary>Number of live records.</summary>
    long Count { get; }

    /// <summary>Bytes of this shard's files on disk (log + snapshots).</summary>
    long DiskBytes { get; }

    /// <summary>Visits every live record once (order unspecified). Used to rebuild derived indexes.</summary>
    void ForEach(ShardRecordVisitor visitor);
}

/// <summary>Receives one live record during <see cref="IShardStore.ForEach"/>; the spans are valid only during the call.</summary>
public delegate void ShardRecordVisitor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
