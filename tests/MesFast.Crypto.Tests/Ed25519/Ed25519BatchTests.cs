using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

public class Ed25519BatchTests(ITestOutputHelper output)
{
    private static (byte[][] Pks, byte[][] Msgs, byte[][] Sigs) MakeBatch(Random rng, int n, int fixedLength = -1)
    {
        var pks = new byte[n][];
        var msgs = new byte[n][];
        var sigs = new byte[n][];
        for (int i = 0; i < n; i++)
            (pks[i], msgs[i], sigs[i]) = TestSignatures.Honest(rng, fixedLength >= 0 ? fixedLength : rng.Next(0, 200));
        return (pks, msgs, sigs);
    }

    private static void Corrupt(Random rng, byte[][] pks, byte[][] msgs, byte[][] sigs, int i)
    {
        switch (rng.Next(4))
        {
            case 0: sigs[i][rng.Next(32)] ^= (byte)(1 << rng.Next(8)); break;            // R
            case 1: sigs[i][32 + rng.Next(28)] ^= (byte)(1 << rng.Next(8)); break;       // S (stays < L)
            case 2: pks[i][rng.Next(31)] ^= (byte)(1 << rng.Next(8)); break;             // A
            default:
                if (msgs[i].Length == 0) msgs[i] = [1];
                else msgs[i][rng.Next(msgs[i].Length)] ^= (byte)(1 << rng.Next(8));
                break;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(256)]
    public void ValidBatches_Accepted(int n)
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var (pks, msgs, sigs) = MakeBatch(rng, n);
        Assert.All(TestSignatures.BatchVerdicts(pks, msgs, sigs), Assert.True);
        var (pks32, msgs32, sigs32) = MakeBatch(rng, n, 32);
        Assert.All(TestSignatures.BatchVerdicts(pks32, msgs32, sigs32), Assert.True);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(16, 1)]
    [InlineData(64, 1)]
    [InlineData(64, 5)]
    [InlineData(100, 3)]
    [InlineData(256, 1)]
    [InlineData(256, 17)]
    public void BadSignatures_ExactIndicesReported(int n, int bad)
    {
        int seed = Environment.TickCount ^ (n * 7919 + bad);
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var (pks, msgs, sigs) = MakeBatch(rng, n);
        var badSet = new HashSet<int>();
        while (badSet.Count < bad) badSet.Add(rng.Next(n));
        foreach (int i in badSet) Corrupt(rng, pks, msgs, sigs, i);
        bool[] v = TestSignatures.BatchVerdicts(pks, msgs, sigs);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Ed25519.Verify(pks[i], msgs[i], sigs[i]), v[i]);
            Assert.Equal(!badSet.Contains(i), v[i]);
        }
    }

    [Fact]
    public void Parallel_LargeBatch_EqualsSequential()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var (pks, msgs, sigs) = MakeBatch(rng, 1000, 32);
        var badSet = new HashSet<int>();
        while (badSet.Count < 10) badSet.Add(rng.Next(1000));
        foreach (int i in badSet) Corrupt(rng, pks, msgs, sigs, i);
        bool[] v = TestSignatures.BatchVerdicts(pks, msgs, sigs); // asserts parallel == sequential
        for (int i = 0; i < v.Length; i++) Assert.Equal(!badSet.Contains(i), v[i]);
    }

    [Fact]
    public void RepeatedKeys_CachedDecompression_SameVerdicts()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        // Three signers, 30 signatures each, interleaved; a few corrupted (R, S, A or message).
        var seeds = new byte[3][];
        var keys = new byte[3][];
        for (int k = 0; k < 3; k++)
        {
            seeds[k] = new byte[32];
            rng.NextBytes(seeds[k]);
            keys[k] = new byte[32];
            Ed25519.PublicKeyFromSeed(seeds[k], keys[k]);
        }
        int n = 90;
        var pks = new byte[n][];
        var msgs = new byte[n][];
        var sigs = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            pks[i] = (byte[])keys[i % 3].Clone();
            msgs[i] = new byte[32];
            rng.NextBytes(msgs[i]);
            sigs[i] = new byte[64];
            Ed25519.Sign(seeds[i % 3], msgs[i], sigs[i]);
        }
        var bad = new HashSet<int>();
        while (bad.Count < 6) bad.Add(rng.Next(n));
        foreach (int i in bad) Corrupt(rng, pks, msgs, sigs, i);
        // Twice: the first batch fills the key cache, the second decompresses only R.
        for (int round = 0; round < 2; round++)
        {
            bool[] v = TestSignatures.BatchVerdicts(pks, msgs, sigs);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(Ed25519.Verify(pks[i], msgs[i], sigs[i]), v[i]);
                Assert.Equal(!bad.Contains(i), v[i]);
            }
        }
        foreach (var key in keys)
        {
            // A colliding slot may have evicted a key since (other tests verify too), but a hit is always that key.
            if (PublicKeyCache.TryGet(key, out var cached)) Assert.True(TestSignatures.PointsEqual(cached, Decompress(key)));
        }
        var offCurve = new byte[32];
        offCurve[0] = 2; // y = 2: (y²-1)/(dy²+1) is not a square, so no point
        Assert.False(EdwardsPoint.TryDecompressZip215(offCurve, out _));
        Assert.False(Ed25519Batch.Verify(offCurve, sigs[0], msgs[0], 32, new bool[1]) == 0);
        Assert.False(PublicKeyCache.TryGet(offCurve, out _));
    }

    private static EdwardsPoint Decompress(byte[] key)
    {
        Assert.True(EdwardsPoint.TryDecompressZip215(key, out var point));
        return point;
    }

    [Fact]
    public void EmptyBatch_And_ShapeErrors()
    {
        Assert.Equal(0, Ed25519Batch.Verify([], [], [], [0], []));
        Assert.Equal(0, Ed25519Batch.Verify([], [], [], 32, []));
        Assert.Throws<ArgumentException>(() => Ed25519Batch.Verify(new byte[31], new byte[64], [], [0, 0], new bool[1]));
        Assert.Throws<ArgumentException>(() => Ed25519Batch.Verify(new byte[32], new byte[64], [], [0], new bool[1]));
        Assert.Throws<ArgumentException>(() => Ed25519Batch.Verify(new byte[32], new byte[64], new byte[5], 32, new bool[1]));
        Assert.Throws<ArgumentException>(() => Ed25519Batch.Verify(new byte[32], new byte[64], new byte[5], [0, 6], new bool[1]));
    }
}
