using MesFast.Core.Storage;

namespace MesFast.Core.Tests.Ledger;

/// <summary>
/// In-memory <see cref="IShardStore"/> for ledger unit tests (the FASTER implementation has its own tests in
/// MesFast.Storage.Tests and runs under the ledger in the node tests). Checkpoints are deep copies.
/// </summary>
internal sealed class MemoryShardStore(int shard) : IShardStore
{
    private readonly Dictionary<string, byte[]> _records = [];
    private readonly SortedDictionary<ulong, Dictionary<string, byte[]>> _checkpoints = [];

    public int Shard { get; } = shard;

    public long Count
    {
        get
        {
            lock (_records) return _records.Count;
        }
    }

    public long DiskBytes => 0;

    public IReadOnlyList<ulong> CheckpointHeights => [.. _checkpoints.Keys];

    public int Read(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        lock (_records)
        {
            if (!_records.TryGetValue(Convert.ToHexString(key), out var value)) return -1;
            if (value.Length > destination.Length) throw new ArgumentException("destination too short", nameof(destination));
            value.CopyTo(destination);
            return value.Length;
        }
    }

    public void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        lock (_records) _records[Convert.ToHexString(key)] = value.ToArray();
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        lock (_records) return _records.Remove(Convert.ToHexString(key));
    }

    public void Insert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        lock (_records)
        {
            if (!_records.TryAdd(Convert.ToHexString(key), value.ToArray())) throw new InvalidOperationException("Insert of a present key");
        }
    }

    public void Remove(ReadOnlySpan<byte> key)
    {
        lock (_records)
        {
            if (!_records.Remove(Convert.ToHexString(key))) throw new InvalidOperationException("Remove of an absent key");
        }
    }

    public void Checkpoint(ulong height)
    {
        lock (_records) _checkpoints[height] = new Dictionary<string, byte[]>(_records);
    }

    public Task BeginCheckpoint(ulong height)
    {
        Checkpoint(height);
        return Task.CompletedTask;
    }

    /// <summary>Rolls the content back to a checkpoint, as reopening a crashed store would.</summary>
    public void RecoverTo(ulong height)
    {
        lock (_records)
        {
            _records.Clear();
            foreach (var (k, v) in _checkpoints[height]) _records[k] = v;
        }
    }

    public void ForEach(ShardRecordVisitor visitor)
    {
        KeyValuePair<string, byte[]>[] snapshot;
        lock (_records) snapshot = [.. _records];
        foreach (var (k, v) in snapshot) visitor(Convert.FromHexString(k), v);
    }

    public void Dispose()
    {
    }
}
