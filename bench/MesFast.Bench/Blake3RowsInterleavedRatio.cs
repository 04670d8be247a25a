using System.Diagnostics;
using System.Globalization;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// <c>--blake3-rows-ratio [rounds]</c>: single-message BLAKE3 at 32, 64, 200 and 1,024 bytes, the code before row
/// compression against row compression, timed in short interleaved slices (before, rows, before) on one thread with
/// the median of per-round ratios reported. Load on a shared machine hits both sides of a round alike, which the
/// separately timed BenchmarkDotNet means of <see cref="Blake3SingleMessageBenchmarks"/> cannot promise.
/// </summary>
internal static class Blake3RowsInterleavedRatio
{
    private const int HashesPerSlice = 4000;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 41;
        int[] sizes = [32, 64, 200, 1024];
        // Warm-up by time, not calls: tiered JIT promotes hot methods only after a quiet 100 ms, so a fixed number of
        // short slices can leave the first size measured on tier-0 code.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 2000)
        {
            foreach (int size in sizes) { Before(new byte[size]); Rows(new byte[size]); }
        }
        foreach (int size in sizes)
        {
            var input = new byte[size];
            new Random(42).NextBytes(input);
            var before = new List<double>();
            var rows = new List<double>();
            var ratios = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                double b1 = Before(input);
                double n = Rows(input);
                double b2 = Before(input);
                before.Add((b1 + b2) / 2);
                rows.Add(n);
                ratios.Add((b1 + b2) / 2 / n);
            }
            before.Sort();
            rows.Sort();
            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,5} B: before {before[rounds / 2],7:F1} ns, rows {rows[rounds / 2],7:F1} ns, speed-up median {ratios[rounds / 2]:F2}× (quartiles {ratios[rounds / 4]:F2}–{ratios[3 * rounds / 4]:F2}×)"));
        }
        return 0;
    }

    /// <summary>The pre-change path: scalar compressions and the root block built, serialised and copied (ns per hash).</summary>
    private static double Before(byte[] input)
    {
        using var _ = Blake3Chunks.Force(Blake3Isa.Portable);
        Span<byte> hash = stackalloc byte[Blake3.OutLength];
        byte sink = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < HashesPerSlice; i++)
        {
            Blake3SingleChunk.Output(Blake3Key.Hash, input).RootBytes(0, hash);
            sink ^= hash[0];
        }
        double ns = sw.Elapsed.TotalNanoseconds / HashesPerSlice;
        return ns + sink * 0.0;
    }

    /// <summary>Today's <see cref="Blake3.Hash(ReadOnlySpan{byte})"/> (row compression on this CPU), ns per hash.</summary>
    private static double Rows(byte[] input)
    {
        byte sink = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < HashesPerSlice; i++) sink ^= Blake3.Hash(input).Span[0];
        double ns = sw.Elapsed.TotalNanoseconds / HashesPerSlice;
        return ns + sink * 0.0;
    }
}
