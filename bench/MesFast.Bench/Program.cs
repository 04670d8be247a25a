using BenchmarkDotNet.Running;

namespace MesFast.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/MesFast.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--hash-file") return Blake3HashFile.Run(args);
        if (args.Length > 0 && args[0] == "--msm-ratio") return MsmInterleavedRatio.Run(args);
        if (args.Length > 0 && args[0] == "--ed25519-ratio") return Ed25519InterleavedRatio.Run(args);
        if (args.Length > 0 && args[0] == "--blake3-rows-ratio") return Blake3RowsInterleavedRatio.Run(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
