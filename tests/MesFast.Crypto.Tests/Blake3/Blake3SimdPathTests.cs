namespace MesFast.Crypto.Tests;

/// <summary>Every back end (forced on this thread) against the naive reference, around block, chunk and subtree edges.</summary>
public sealed class Blake3SimdPathTests
{
    /// <summary>Names of the back ends this machine supports (xunit data must be public; the enum is internal).</summary>
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (Blake3Isa isa in Blake3Chunks.Supported) data.Add(isa.ToString());
        return data;
    }

    internal static Blake3Isa Parse(string path) => Enum.Parse<Blake3Isa>(path);

    private static readonly int[] EdgeLengths =
    [
        0, 1, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 3073, 4095, 4096, 4097,
        5 * 1024 - 1, 5 * 1024 + 1, 8 * 1024 + 1, 15 * 1024 + 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 17 * 1024,
        31 * 1024 + 1, 32 * 1024 + 1, 33 * 1024 - 1, 100 * 1024 + 7, 256 * 1024, 256 * 1024 + 1, 257 * 1024 + 63,
        600 * 1024 + 3, (1 << 20) + 17,
    ];

    internal static Blake3Key[] Modes(Random rng)
    {
        var key = new byte[32];
        rng.NextBytes(key);
        return [Blake3Key.Hash, Blake3Key.Keyed(key), Blake3Key.DeriveKey("mes/test/v1 " + rng.Next())];
    }

    [Fact]
    public void This_machine_runs_the_AVX512_path_by_default()
    {
        // The benchmarks and bars assume the widest path; fail loudly if detection regresses on an AVX-512 machine.
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) Assert.Equal(Blake3Isa.Avx512, Blake3Chunks.Detected);
        Assert.Equal(Blake3Chunks.Detected, Blake3Chunks.Active);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forced_path_matches_reference_at_edges_in_all_modes_with_random_seek_and_length(string path)
    {
        Blake3Isa isa = Parse(path);
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        using var _ = Blake3Chunks.Force(isa);
        Assert.Equal(isa, Blake3Chunks.Active);
        foreach (int length in EdgeLengths)
        {
            var input = new byte[length];
            rng.NextBytes(input);
            foreach (Blake3Key mode in Modes(rng))
            {
                Assert.True(Blake3Reference.Output(mode, input, 32).AsSpan().SequenceEqual(Blake3.Hash(mode, input).Span),
                    $"{isa} len={length} flags={mode.Flags} seed={seed}");
                int outLength = rng.Next(0, 3000);
                ulong seek = rng.Next(3) == 0 ? 0 : (ulong)rng.Next(0, 5000);
                var output = new byte[outLength];
                Blake3.Hash(mode, input, output, seek);
                Assert.True(Blake3Reference.Output(mode, input, outLength, seek).AsSpan().SequenceEqual(output),
                    $"{isa} len={length} flags={mode.Flags} out={outLength} seek={seek} seed={seed}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forced_path_xof_of_many_blocks_at_huge_seek_matches_reference(string path)
    {
        Blake3Isa isa = Parse(path);
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        using var _ = Blake3Chunks.Force(isa);
        var input = new byte[rng.Next(0, 3000)];
        rng.NextBytes(input);
        // Seek near 2^32 blocks so the per-lane block counter carries into its high word.
        ulong seek = ((1UL << 32) - 5) * 64 + (ulong)rng.Next(0, 64);
        var output = new byte[2048 + rng.Next(0, 200)];
        Blake3.Hash(Blake3Key.Hash, input, output, seek);
        Assert.True(Blake3Reference.Output(Blake3Key.Hash, input, output.Length, seek).AsSpan().SequenceEqual(output),
            $"{isa} len={input.Length} seek={seek} seed={seed}");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forced_path_incremental_updates_split_at_random_points_equal_one_shot(string path)
    {
        Blake3Isa isa = Parse(path);
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        using var _ = Blake3Chunks.Force(isa);
        for (int trial = 0; trial < 20; trial++)
        {
            int length = trial < 10 ? rng.Next(0, 20_000) : rng.Next(0, 600_000);
            var input = new byte[length];
            rng.NextBytes(input);
            foreach (Blake3Key mode in Modes(rng))
            {
                var expected = new byte[100];
                using (Blake3Chunks.Force(Blake3Isa.Portable)) Blake3.Hash(mode, input, expected);
                var hasher = new Blake3Hasher(mode);
                int position = 0;
                while (position < length)
                {
                    int take = rng.Next(3) switch
                    {
                        0 => rng.Next(0, 70),
                        1 => 1024 * rng.Next(0, 40) + rng.Next(-1, 2),
                        _ => rng.Next(0, 200_000),
                    };
                    take = Math.Clamp(take, 0, length - position);
                    hasher.Update(input.AsSpan(position, take));
                    position += take;
                }
                var actual = new byte[100];
                hasher.Finalize(actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{isa} len={length} flags={mode.Flags} trial={trial} seed={seed}");
            }
        }
    }

    [Fact]
    public void Forcing_an_unsupported_or_every_supported_path_is_reported()
    {
        foreach (Blake3Isa isa in Blake3Chunks.Supported)
        {
            using (Blake3Chunks.Force(isa)) Assert.Equal(isa, Blake3Chunks.Active);
            Assert.Equal(Blake3Chunks.Detected, Blake3Chunks.Active);
        }
    }
}
