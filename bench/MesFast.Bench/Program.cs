using BenchmarkDotNet.Running;

namespace MesFast.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/MesFast.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
