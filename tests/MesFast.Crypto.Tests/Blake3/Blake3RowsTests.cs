namespace MesFast.Crypto.Tests;

/// <summary>The row-wise single-message compression (both rotation variants) against the scalar one it replaces.</summary>
public sealed class Blake3RowsTests
{
    [Fact]
    public void Row_compression_matches_portable_on_random_cv_block_counter_length_and_flags()
    {
        if (!Blake3Rows.IsSupported) return;
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var block = new byte[64];
        var cvBytes = new byte[32];
        var counterBytes = new byte[8];
        var expected = new uint[16];
        var actual = new uint[16];
        var xof = new byte[64];
        for (int trial = 0; trial < 20_000; trial++)
        {
            rng.NextBytes(block);
            rng.NextBytes(cvBytes);
            rng.NextBytes(counterBytes);
            Blake3Words cv = Blake3Portable.ReadWords(cvBytes);
            // Small counters (chunk indices) and full 64-bit ones, so both counter words are exercised.
            ulong counter = trial % 2 == 0 ? (ulong)rng.Next(0, 1 << 20) : BitConverter.ToUInt64(counterBytes);
            uint length = (uint)rng.Next(0, 65);
            uint flags = trial % 3 == 0 ? (uint)rng.Next(0, 128) : (uint)rng.Next();
            string context = $"trial={trial} counter={counter} len={length} flags={flags} seed={seed}";

            Blake3Portable.Compress(cv, block, counter, length, flags, expected);

            Blake3Rows.Compress<Blake3Ssse3Rotations>(cv, block, counter, length, flags, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), "SSSE3 " + context);
            if (Blake3Avx512Rotations.IsSupported)
            {
                Array.Clear(actual);
                Blake3Rows.Compress<Blake3Avx512Rotations>(cv, block, counter, length, flags, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), "AVX-512 " + context);
            }

            Blake3Rows.CompressXof(cv, block, counter, length, flags, xof);
            for (int i = 0; i < 16; i++) Assert.True(expected[i] == BitConverter.ToUInt32(xof, 4 * i), "xof " + context);

            Blake3Words inPlace = cv;
            Blake3Rows.CompressInPlace(ref inPlace, block, counter, length, flags);
            Blake3Words inPlaceSsse3 = cv;
            Blake3Rows.CompressInPlace<Blake3Ssse3Rotations>(ref inPlaceSsse3, block, counter, length, flags);
            for (int i = 0; i < 8; i++)
            {
                Assert.True(expected[i] == inPlace[i], "in place " + context);
                Assert.True(expected[i] == inPlaceSsse3[i], "in place SSSE3 " + context);
            }
        }
    }

    [Fact]
    public void Every_length_to_2100_hashes_like_the_portable_path_in_all_modes_with_xof()
    {
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var input = new byte[2100];
        rng.NextBytes(input);
        Blake3Key[] modes = Blake3SimdPathTests.Modes(rng);
        var expectedXof = new byte[200];
        var actualXof = new byte[200];
        for (int length = 0; length <= input.Length; length++)
        {
            ReadOnlySpan<byte> message = input.AsSpan(0, length);
            foreach (Blake3Key mode in modes)
            {
                Hash32 expected;
                ulong seek = (ulong)rng.Next(0, 200);
                using (Blake3Chunks.Force(Blake3Isa.Portable))
                {
                    expected = Blake3.Hash(mode, message);
                    Blake3.Hash(mode, message, expectedXof, seek);
                }
                Assert.True(expected.Span.SequenceEqual(Blake3.Hash(mode, message).Span), $"len={length} flags={mode.Flags} seed={seed}");
                Blake3.Hash(mode, message, actualXof, seek);
                Assert.True(expectedXof.AsSpan().SequenceEqual(actualXof), $"xof len={length} flags={mode.Flags} seek={seek} seed={seed}");

                // The incremental hasher compresses its chunk state block by block; feed it in uneven pieces.
                var hasher = new Blake3Hasher(mode);
                for (int at = 0; at < length;)
                {
                    int take = Math.Min(rng.Next(0, 130), length - at);
                    hasher.Update(message.Slice(at, take));
                    at += take;
                }
                Assert.True(expected.Span.SequenceEqual(hasher.Finalize().Span), $"incremental len={length} flags={mode.Flags} seed={seed}");
            }
        }
    }

    [Fact]
    public void Forcing_the_portable_back_end_turns_row_compression_off()
    {
        using (Blake3Chunks.Force(Blake3Isa.Portable)) Assert.False(Blake3Compress.UsesRows);
        Assert.Equal(Blake3Rows.IsSupported, Blake3Compress.UsesRows);
    }
}
