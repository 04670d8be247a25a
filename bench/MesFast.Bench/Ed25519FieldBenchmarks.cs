using BenchmarkDotNet.Attributes;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>Cost of the field primitives behind Ed25519 verification (1,000 dependent operations per invoke).</summary>
public class Ed25519FieldBenchmarks
{
    private FieldElement _a;
    private EdwardsPoint _p;

    [GlobalSetup]
    public void Setup()
    {
        _a = FieldElement.FromBigInteger(123456789);
        _p = BasepointTable.Basepoint;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public ulong Mul()
    {
        FieldElement x = _a;
        for (int i = 0; i < 1000; i++) x = FieldElement.Mul(x, _a);
        return x.L0;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public ulong Square()
    {
        FieldElement x = _a;
        for (int i = 0; i < 1000; i++) x = FieldElement.Square(x);
        return x.L0;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public ulong Double()
    {
        ProjectivePoint x = _p.ToProjective();
        for (int i = 0; i < 1000; i++) x = x.Double().ToProjective();
        return x.X.L0;
    }
}
