using BenchmarkDotNet.Attributes;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// The batch equation's multi-scalar multiplication alone, as a batch of 64 has it: 128 points (R_i with 128-bit
/// z_i, A_i with full scalars) plus B. Scalar Straus vs the parallel-formulas (four-lane) Straus, same run.
/// </summary>
public class MsmBenchmarks
{
    private EdwardsPoint[] _points = [];
    private byte[] _scalars = [];
    private readonly byte[] _b = new byte[32];

    [Params(8, 128)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _points = new EdwardsPoint[Points];
        _scalars = new byte[32 * Points];
        var seed = new byte[32];
        var pk = new byte[32];
        for (int i = 0; i < Points; i++)
        {
            rng.NextBytes(seed);
            Ed25519.PublicKeyFromSeed(seed, pk);
            EdwardsPoint.TryDecompressZip215(pk, out _points[i]);
            rng.NextBytes(_scalars.AsSpan(32 * i, i % 2 == 0 ? 16 : 32));
            _scalars[(32 * i) + 31] &= 0x7f;
        }
        rng.NextBytes(_b);
        _b[31] &= 0x7f;
    }

    [Benchmark(Baseline = true)]
    public ulong MsmScalar() => MultiScalarMul.Straus(_points, _scalars, _b).X.L0;

    [Benchmark]
    public ulong MsmParallel() => MultiScalarMulParallel.Straus(_points, _scalars, _b).X.L0;
}
