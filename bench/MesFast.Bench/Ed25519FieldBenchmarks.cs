using BenchmarkDotNet.Attributes;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>Cost of the field primitives behind Ed25519 verification (1,000 dependent operations per invoke).</summary>
public class Ed25519FieldBenchmarks
{
    private FieldElement _a;
    private EdwardsPoint _p;
    private readonly byte[] _enc = BasepointTable.Encoded.ToArray();
    private readonly byte[] _enc8 = new byte[8 * 32];
    private readonly EdwardsPoint[] _points8 = new EdwardsPoint[8];
    private readonly bool[] _ok8 = new bool[8];

    [GlobalSetup]
    public void Setup()
    {
        _a = FieldElement.FromBigInteger(123456789);
        _p = BasepointTable.Basepoint;
        for (int i = 0; i < 8; i++) _enc.CopyTo(_enc8, 32 * i);
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

    [Benchmark]
    public bool Decompress() => EdwardsPoint.TryDecompressZip215(_enc, out _);

    /// <summary>Eight decompressions on <see cref="FieldElement8"/> lanes (compare with 8 × <see cref="Decompress"/>).</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public bool Decompress8()
    {
        EdwardsPoint.TryDecompressZip215x8(_enc8, _points8, _ok8);
        return _ok8[7];
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public ulong Mul8()
    {
        FieldElement8 a = FieldElement8.Broadcast(_a);
        FieldElement8 x = a;
        for (int i = 0; i < 1000; i++) x = FieldElement8.Mul<Avx512Multiplier>(x, a);
        return x.L0[0];
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public ulong Square8()
    {
        FieldElement8 x = FieldElement8.Broadcast(_a);
        x = FieldElement8.SquareTimes<Avx512Multiplier>(x, 1000);
        return x.L0[0];
    }

    [Benchmark]
    public ulong HashToScalar() => Ed25519.HashToScalar(_enc, _enc, _enc).L0;

    [Benchmark]
    public ulong ScalarMul()
    {
        Scalar s = Scalar.FromBytesUnreduced(_enc);
        return Scalar.Mul(s, s).L0;
    }

    [Benchmark]
    public ulong TableOfOddMultiples()
    {
        Span<ProjectiveNielsPoint> t = stackalloc ProjectiveNielsPoint[8];
        MultiScalarMul.OddMultiples(_p, t);
        return t[7].Z.L0;
    }
}
