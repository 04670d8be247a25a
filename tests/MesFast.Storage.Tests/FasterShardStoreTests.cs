using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace MesFast.Storage.Tests;

public sealed class FasterShardStoreTests
{
    /// <summary>Small enough that thousands of 100-byte records spill to disk.</summary>
    private static readonly ShardStoreOptions Tiny = new() { MemoryBytes = 1 << 16, PageSizeBits = 12, IndexBuckets = 1 << 10 };

    private static byte[] Key(int i)
    {
        var key = new byte[35];
        key[0] = 0x01;
        BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(1), i);
        return key;
    }

    private static byte[] Value(int i, int version)
    {
        var value = new byte[68];
        BinaryPrimitives.WriteInt32LittleEndian(value, i);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), version);
        value[67] = (byte)(i * 31 + version);
        return value;
    }

    [Fact]
    public void Upsert_read_overwrite_delete_and_count()
    {
        using var dir = new TempDirectory();
        using var store = FasterShardStore.Open(0, dir.Path, new ShardStoreOptions(), null);
        var buffer = new byte[128];
        Assert.Equal(-1, store.Read(Key(1), buffer));
        store.Upsert(Key(1), Value(1, 0));
        Assert.Equal(68, store.Read(Key(1), buffer));
        Assert.Equal(Value(1, 0), buffer[..68]);
        store.Upsert(Key(1), Value(1, 1));
        Assert.Equal(1, store.Count);
        Assert.Equal(68, store.Read(Key(1), buffer));
        Assert.Equal(Value(1, 1), buffer[..68]);
        Assert.True(store.Delete(Key(1)));
        Assert.False(store.Delete(Key(1)));
        Assert.Equal(0, store.Count);
        Assert.Equal(-1, store.Read(Key(1), buffer));
    }

    [Fact]
    public void Short_destination_is_a_caller_bug()
    {
        using var dir = new TempDirectory();
        using var store = FasterShardStore.Open(0, dir.Path, new ShardStoreOptions(), null);
        store.Upsert(Key(1), Value(1, 0));
        Assert.Throws<ArgumentException>(() => store.Read(Key(1), new byte[10]));
        Assert.Throws<ArgumentException>(() => store.Upsert([], Value(1, 0)));
    }

    [Fact]
    public void Records_on_disk_are_read_back_not_reported_missing()
    {
        using var dir = new TempDirectory();
        using var store = FasterShardStore.Open(0, dir.Path, Tiny, null);
        const int n = 5000; // ~700 KB of records against a 64 KB in-memory log
        for (int i = 0; i < n; i++) store.Upsert(Key(i), Value(i, 0));
        Assert.Equal(n, store.Count);
        for (int i = 0; i < n; i += 2) Assert.True(store.Delete(Key(i)), $"delete {i}");
        Assert.Equal(n / 2, store.Count);
        var buffer = new byte[128];
        for (int i = 0; i < n; i++)
        {
            int length = store.Read(Key(i), buffer);
            if (i % 2 == 0)
            {
                Assert.Equal(-1, length);
            }
            else
            {
                Assert.Equal(68, length);
                Assert.Equal(Value(i, 0), buffer[..68]);
            }
        }
        var seen = new HashSet<int>();
        store.ForEach((k, v) =>
        {
            int i = BinaryPrimitives.ReadInt32LittleEndian(k[1..]);
            Assert.True(seen.Add(i), $"key {i} visited twice");
            Assert.Equal(Value(i, 0), v.ToArray());
        });
        Assert.Equal(n / 2, seen.Count);
    }

    [Fact]
    public async Task Concurrent_readers_see_every_committed_record_while_one_thread_writes()
    {
        using var dir = new TempDirectory();
        using var store = FasterShardStore.Open(0, dir.Path, Tiny, null);
        const int n = 4000;
        int written = 0;
        var errors = new ConcurrentQueue<string>();
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < n; i++)
            {
                store.Upsert(Key(i), Value(i, 0));
                Volatile.Write(ref written, i + 1);
            }
        });
        var readers = new Task[2];
        for (int r = 0; r < readers.Length; r++)
        {
            int seed = r;
            readers[r] = Task.Run(() =>
            {
                var rng = new Random(seed);
                var buffer = new byte[128];
                while (Volatile.Read(ref written) < n)
                {
                    int upTo = Volatile.Read(ref written);
                    if (upTo == 0) continue;
                    int i = rng.Next(upTo);
                    if (store.Read(Key(i), buffer) != 68 || !buffer.AsSpan(0, 68).SequenceEqual(Value(i, 0)))
                        errors.Enqueue($"record {i} wrong or missing while {upTo} were written");
                }
            });
        }
        await Task.WhenAll([writer, .. readers]);
        Assert.Empty(errors);
    }

    [Fact]
    public void Checkpoint_then_reopen_restores_exactly_that_state()
    {
        using var dir = new TempDirectory();
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var expected = new Dictionary<int, int>();
        using (var store = FasterShardStore.Open(0, dir.Path, Tiny, null))
        {
            for (int round = 1; round <= 4; round++)
            {
                for (int j = 0; j < 500; j++)
                {
                    int i = rng.Next(1500);
                    if (rng.Next(4) == 0)
                    {
                        Assert.Equal(expected.Remove(i), store.Delete(Key(i)));
                    }
                    else
                    {
                        store.Upsert(Key(i), Value(i, round));
                        expected[i] = round;
                    }
                }
                if (round < 4) store.Checkpoint((ulong)round * 10);
                if (round == 3) break;
            }
            // Changes after the last checkpoint must not survive.
            store.Upsert(Key(99_999), Value(99_999, 9));
        }
        Assert.Equal([10UL, 20UL, 30UL], FasterShardStore.ReadCheckpointHeights(dir.Path));
        using var reopened = FasterShardStore.Open(0, dir.Path, Tiny, 30);
        Assert.Equal(expected.Count, reopened.Count);
        var buffer = new byte[128];
        Assert.Equal(-1, reopened.Read(Key(99_999), buffer));
        for (int i = 0; i < 1500; i++)
        {
            int length = reopened.Read(Key(i), buffer);
            if (expected.TryGetValue(i, out int version))
                Assert.True(length == 68 && buffer.AsSpan(0, 68).SequenceEqual(Value(i, version)), $"seed {seed}: key {i}");
            else
                Assert.True(length == -1, $"seed {seed}: key {i} should be absent");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Writes_after_a_checkpoint_starts_stay_out_of_it(int seed)
    {
        // The writer goes on (from other threads too, as block application does) while the snapshot is written, and
        // readers run throughout; reopening at each height must give exactly the content at the moment it started.
        using var dir = new TempDirectory();
        var rng = new Random(seed);
        var expected = new Dictionary<int, int>();
        var snapshots = new Dictionary<ulong, Dictionary<int, int>>();
        using (var store = FasterShardStore.Open(0, dir.Path, Tiny with { RetainedCheckpoints = 10 }, null))
        {
            using var stopReaders = new CancellationTokenSource();
            var readers = new Task[2];
            for (int r = 0; r < readers.Length; r++)
            {
                int readerSeed = seed * 10 + r;
                readers[r] = Task.Run(() =>
                {
                    var readRng = new Random(readerSeed);
                    var buffer = new byte[128];
                    while (!stopReaders.IsCancellationRequested) store.Read(Key(readRng.Next(3000)), buffer);
                });
            }
            Task? previous = null;
            for (int round = 1; round <= 6; round++)
            {
                void Mutate(int count)
                {
                    for (int j = 0; j < count; j++)
                    {
                        int i = rng.Next(3000);
                        if (rng.Next(5) == 0)
                        {
                            Assert.Equal(expected.Remove(i), store.Delete(Key(i)));
                        }
                        else
                        {
                            int version = rng.Next(1_000_000);
                            store.Upsert(Key(i), Value(i, version));
                            expected[i] = version;
                        }
                    }
                }
                if (round % 2 == 0) await Task.Run(() => Mutate(700));
                else Mutate(700);
                ulong height = (ulong)round * 10;
                var checkpoint = store.BeginCheckpoint(height);
                snapshots[height] = new Dictionary<int, int>(expected);
                // No pause: these writes race the checkpoint's disk work.
                Mutate(400);
                if (previous is not null) Assert.True(previous.IsCompleted, "starting a checkpoint waits for the one before");
                previous = checkpoint;
            }
            await previous!;
            await stopReaders.CancelAsync();
            await Task.WhenAll(readers);
            Assert.Equal([10UL, 20UL, 30UL, 40UL, 50UL, 60UL], store.CheckpointHeights);
        }
        foreach (ulong height in new ulong[] { 60, 30 })
        {
            // Reopening at a height forgets newer checkpoints, so the newest is checked first.
            using var reopened = FasterShardStore.Open(0, dir.Path, Tiny with { RetainedCheckpoints = 10 }, height);
            var want = snapshots[height];
            Assert.Equal(want.Count, reopened.Count);
            var buffer = new byte[128];
            for (int i = 0; i < 3000; i++)
            {
                int length = reopened.Read(Key(i), buffer);
                if (want.TryGetValue(i, out int version))
                    Assert.True(length == 68 && buffer.AsSpan(0, 68).SequenceEqual(Value(i, version)), $"seed {seed}, height {height}: key {i}");
                else
                    Assert.True(length == -1, $"seed {seed}, height {height}: key {i} should be absent");
            }
        }
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept()
    {
        using var dir = new TempDirectory();
        using var store = FasterShardStore.Open(0, dir.Path, new ShardStoreOptions { RetainedCheckpoints = 3 }, null);
        for (int h = 1; h <= 5; h++)
        {
            store.Upsert(Key(h), Value(h, 0));
            store.Checkpoint((ulong)h);
        }
        Assert.Equal([3UL, 4UL, 5UL], store.CheckpointHeights);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(dir.Path, "checkpoints", "cpr-checkpoints")).Length);
    }

    [Fact]
    public void Checkpoints_the_manifest_never_named_are_removed_on_open()
    {
        using var dir = new TempDirectory();
        string cpr = Path.Combine(dir.Path, "checkpoints", "cpr-checkpoints");
        string index = Path.Combine(dir.Path, "checkpoints", "index-checkpoints");
        using (var store = FasterShardStore.Open(0, dir.Path, new ShardStoreOptions(), null))
        {
            store.Upsert(Key(1), Value(1, 0));
            store.Checkpoint(1);
            store.Upsert(Key(2), Value(2, 0));
            store.Checkpoint(2);
        }
        // A crash after checkpoint 2 was written but before the manifest named it: drop its line.
        string manifest = Path.Combine(dir.Path, CheckpointManifest.FileName);
        var lines = File.ReadAllLines(manifest);
        string orphan = Guid.ParseExact(lines[^1].Split(' ')[1], "N").ToString();
        File.WriteAllLines(manifest, lines[..^1]);
        Directory.CreateDirectory(Path.Combine(cpr, "not-a-token"));
        Assert.True(Directory.Exists(Path.Combine(cpr, orphan)) && Directory.Exists(Path.Combine(index, orphan)));

        using var reopened = FasterShardStore.Open(0, dir.Path, new ShardStoreOptions(), 1);
        Assert.False(Directory.Exists(Path.Combine(cpr, orphan)), "orphan log checkpoint left behind");
        Assert.False(Directory.Exists(Path.Combine(index, orphan)), "orphan index checkpoint left behind");
        Assert.True(Directory.Exists(Path.Combine(cpr, "not-a-token")), "a folder that is no checkpoint was removed");
        Assert.Equal([1UL], reopened.CheckpointHeights);
        Assert.Equal(2, Directory.GetDirectories(cpr).Length);
        var value = new byte[68];
        Assert.Equal(68, reopened.Read(Key(1), value));
        Assert.Equal(-1, reopened.Read(Key(2), value));
    }

    [Fact]
    public void Set_recovers_to_the_newest_height_all_shards_share()
    {
        using var dir = new TempDirectory();
        using (var set = ShardStoreSet.Open(dir.Path, 4, Tiny))
        {
            Assert.Null(set.RecoveredHeight);
            for (int s = 0; s < 4; s++) set.Shards[s].Upsert(Key(s), Value(s, 1));
            set.Checkpoint(5);
            for (int s = 0; s < 4; s++) set.Shards[s].Upsert(Key(s), Value(s, 2));
            // A crash in the middle of the next checkpoint: only shards 0 and 1 reach height 6.
            set.Shards[0].Checkpoint(6);
            set.Shards[1].Checkpoint(6);
        }
        using var reopened = ShardStoreSet.Open(dir.Path, 4, Tiny);
        Assert.Equal(5UL, reopened.RecoveredHeight);
        var buffer = new byte[128];
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(68, reopened.Shards[s].Read(Key(s), buffer));
            Assert.Equal(Value(s, 1), buffer[..68]);
            Assert.Equal([5UL], reopened.Shards[s].CheckpointHeights);
        }
    }

    [Fact]
    public void Corrupt_manifest_names_the_file()
    {
        using var dir = new TempDirectory();
        string shardDir = Path.Combine(dir.Path, "shard-000");
        Directory.CreateDirectory(shardDir);
        File.WriteAllText(Path.Combine(shardDir, "checkpoints.txt"), "not a manifest\n");
        var error = Assert.Throws<InvalidDataException>(() => ShardStoreSet.Open(dir.Path, 1, Tiny));
        Assert.Contains("checkpoints.txt", error.Message, StringComparison.Ordinal);
    }
}
