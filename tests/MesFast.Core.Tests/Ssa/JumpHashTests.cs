using MesFast.Core.Ssa;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Ssa;

public sealed class JumpHashTests
{
    [Fact]
    public void One_bucket_takes_every_key_and_results_stay_in_range()
    {
        var rng = new Random(TestSeeds.Get(11));
        for (int i = 0; i < 10_000; i++)
        {
            ulong key = (ulong)rng.NextInt64();
            Assert.Equal(0, JumpHash.Bucket(key, 1));
            int b = JumpHash.Bucket(key, 37);
            Assert.InRange(b, 0, 36);
        }
    }

    [Fact]
    public void Growing_the_bucket_count_only_moves_keys_into_the_new_buckets()
    {
        var rng = new Random(TestSeeds.Get(12));
        int moved = 0;
        const int keys = 20_000;
        for (int i = 0; i < keys; i++)
        {
            ulong key = (ulong)rng.NextInt64();
            int before = JumpHash.Bucket(key, 8);
            int after = JumpHash.Bucket(key, 16);
            if (before != after)
            {
                Assert.InRange(after, 8, 15);
                moved++;
            }
        }
        // Doubling moves about half the keys (binomial: 10,000 ± ~300 at 4 sigma).
        Assert.InRange(moved, keys / 2 - 600, keys / 2 + 600);
    }

    [Fact]
    public void Buckets_are_balanced()
    {
        var counts = new int[16];
        var rng = new Random(TestSeeds.Get(13));
        for (int i = 0; i < 64_000; i++) counts[JumpHash.Bucket((ulong)rng.NextInt64(), 16)]++;
        foreach (int c in counts) Assert.InRange(c, 4000 - 400, 4000 + 400);
    }

    [Fact]
    public void Shard_placement_depends_on_the_genesis_seed_and_is_stable()
    {
        var a = new ShardMap(new Hash32(new byte[32]), 8);
        var b = new ShardMap(new Hash32(Enumerable.Repeat((byte)1, 32).ToArray()), 8);
        int differ = 0;
        for (int i = 0; i < 256; i++)
        {
            byte[] key = [1, (byte)i, 2, 3];
            Assert.Equal(a.ShardOf(key), new ShardMap(a.GenesisSeed, 8).ShardOf(key));
            if (a.ShardOf(key) != b.ShardOf(key)) differ++;
        }
        Assert.True(differ > 150, $"only {differ} of 256 keys moved with another seed");
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardMap(default, 6));
    }

    [Fact]
    public void Batch_placement_equals_one_key_at_a_time()
    {
        var rng = new Random(TestSeeds.Get(14));
        foreach (int shards in new[] { 1, 2, 8, 64 })
        {
            var map = new ShardMap(new Hash32(Enumerable.Repeat((byte)3, 32).ToArray()), shards);
            int n = rng.Next(1, 200);
            var keys = new List<byte>();
            var offsets = new int[n + 1];
            for (int i = 0; i < n; i++)
            {
                offsets[i] = keys.Count;
                var key = new byte[rng.Next(1, 60)];
                rng.NextBytes(key);
                keys.AddRange(key);
            }
            offsets[n] = keys.Count;
            var batch = new int[n];
            map.ShardsOf(keys.ToArray(), offsets, batch);
            for (int i = 0; i < n; i++) Assert.Equal(map.ShardOf(keys.ToArray().AsSpan(offsets[i], offsets[i + 1] - offsets[i])), batch[i]);
        }
    }
}
