using System.Diagnostics;
using System.Globalization;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// <c>--msm-ratio [rounds] [points]</c>: scalar Straus vs parallel-formulas Straus in short interleaved rounds on one
/// thread (scalar, parallel, scalar, …), median of the per-round ratios: load that comes and goes on a shared host
/// hits both sides of a round alike.
/// </summary>
internal static class MsmInterleavedRatio
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21;
        var m = new MsmBenchmarks { Points = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 128 };
        m.Setup();
        const int reps = 20;
        double Time(Func<ulong> f)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) f();
            return sw.Elapsed.TotalMicroseconds / reps;
        }
        for (int i = 0; i < 3; i++) { Time(m.MsmScalar); Time(m.MsmParallel); } // warm-up, tiering
        var scalar = new double[rounds];
        var parallel = new double[rounds];
        var ratio = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            double s1 = Time(m.MsmScalar);
            parallel[r] = Time(m.MsmParallel);
            double s2 = Time(m.MsmScalar);
            scalar[r] = (s1 + s2) / 2;
            ratio[r] = scalar[r] / parallel[r];
        }
        Array.Sort(scalar);
        Array.Sort(parallel);
        Array.Sort(ratio);
        int n = m.Points / 2;
        Console.WriteLine($"MSM of {m.Points} points + B (a batch of {n}), {rounds} rounds");
        Console.WriteLine($"scalar Straus:   median {scalar[rounds / 2]:F1} µs ({scalar[rounds / 2] / n:F2} µs/sig)");
        Console.WriteLine($"parallel Straus: median {parallel[rounds / 2]:F1} µs ({parallel[rounds / 2] / n:F2} µs/sig)");
        Console.WriteLine($"speed-up per round: median {ratio[rounds / 2]:F2}×, quartiles {ratio[rounds / 4]:F2}–{ratio[3 * rounds / 4]:F2}×");
        return 0;
    }
}
