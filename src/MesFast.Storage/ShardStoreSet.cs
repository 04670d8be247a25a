using System.Globalization;
using MesFast.Core.Storage;

namespace MesFast.Storage;

/// <summary>
/// The S shard stores of a node under one folder (<c>shard-000</c> …). Opening recovers every shard to the newest
/// checkpoint height that all shards have, so a crash in the middle of checkpointing still yields one consistent
/// state; the chain then replays blocks after that height from the block log.
/// </summary>
public sealed class ShardStoreSet : IDisposable
{
    private readonly FasterShardStore[] _shards;

    private ShardStoreSet(FasterShardStore[] shards, ulong? recoveredHeight)
    {
        _shards = shards;
        RecoveredHeight = recoveredHeight;
    }

    /// <summary>The stores, index = shard.</summary>
    public IShardStore[] Shards => [.. _shards];

    /// <summary>Height of the common checkpoint the shards were recovered to; null for a fresh, empty set.</summary>
    public ulong? RecoveredHeight { get; }

    public long DiskBytes
    {
        get
        {
            long total = 0;
            foreach (var s in _shards) total += s.DiskBytes;
            return total;
        }
    }

    public static ShardStoreSet Open(string directory, int shardCount, ShardStoreOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Directory.CreateDirectory(directory);
        var paths = new string[shardCount];
        HashSet<ulong>? common = null;
        bool anyCheckpoint = false;
        for (int s = 0; s < shardCount; s++)
        {
            paths[s] = Path.Combine(directory, "shard-" + s.ToString("D3", CultureInfo.InvariantCulture));
            var heights = FasterShardStore.ReadCheckpointHeights(paths[s]);
            anyCheckpoint |= heights.Count > 0;
            if (common is null) common = [.. heights];
            else common.IntersectWith(heights);
        }
        ulong? height = null;
        if (anyCheckpoint)
        {
            foreach (ulong h in common!)
                if (height is null || h > height) height = h;
            if (height is null)
                throw new InvalidDataException($"{directory}: the shards have checkpoints but none at a common height; the state cannot be recovered (delete the folder to resync from the block log)");
        }
        else
        {
            // No checkpoint anywhere: start from empty; remove data a crashed first run may have left.
            foreach (string p in paths)
                if (Directory.Exists(p)) Directory.Delete(p, recursive: true);
        }

        var shards = new FasterShardStore[shardCount];
        try
        {
            for (int s = 0; s < shardCount; s++) shards[s] = FasterShardStore.Open(s, paths[s], options, height);
        }
        catch
        {
            foreach (var opened in shards) opened?.Dispose();
            throw;
        }
        return new ShardStoreSet(shards, height);
    }

    /// <summary>Checkpoints every shard at <paramref name="height"/>, in parallel; returns when all are durable.</summary>
    public void Checkpoint(ulong height) => BeginCheckpoint(height).GetAwaiter().GetResult();

    /// <summary><see cref="Checkpoint"/> that returns once every shard's content is fixed; the task completes when all are durable.</summary>
    public Task BeginCheckpoint(ulong height)
    {
        var checkpoints = new Task[_shards.Length];
        for (int s = 0; s < checkpoints.Length; s++) checkpoints[s] = _shards[s].BeginCheckpoint(height);
        return Task.WhenAll(checkpoints);
    }

    public void Dispose()
    {
        foreach (var s in _shards) s.Dispose();
    }
}
