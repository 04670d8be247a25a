namespace MesFast.Crypto.Tests;

/// <summary>The row-vector single-block compression equals the scalar one word for word.</summary>
public sealed class Blake3BlockCompressTests
{
    [Fact]
    public void Avx512_row_compress_equals_scalar_on_random_inputs()
    {
        if (!Blake3Avx512Block.IsSupported)
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported);  // nothing to compare on this machine
            return;
        }
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var block = new byte[64];
        var expected = new uint[16];
        var actual = new uint[16];
        for (int trial = 0; trial < 2000; trial++)
        {
            Blake3Words cv = default;
            for (int i = 0; i < 8; i++) cv[i] = (uint)rng.NextInt64();
            rng.NextBytes(block);
            ulong counter = (ulong)rng.NextInt64();
            uint length = (uint)rng.Next(0, 65);
            uint flags = (uint)rng.Next(0, 128);
            Blake3Portable.Compress(cv, block, counter, length, flags, expected);
            Blake3Avx512Block.Compress(cv, block, counter, length, flags, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"trial={trial} seed={seed}");
        }
    }
}
