using BenchmarkDotNet.Attributes;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// One short message per call (txids, gossip keys, domain hashes): row-wise SIMD compression against the scalar
/// compression, same inputs, same run. Ratio is against the portable baseline.
/// </summary>
[MemoryDiagnoser]
public class Blake3SingleMessageBenchmarks
{
    private byte[] _input = [];

    [Params(32, 64, 200, 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Bytes];
        new Random(42).NextBytes(_input);
    }

    [Benchmark(Baseline = true)]
    public Hash32 HashPortable()
    {
        using var _ = Blake3Chunks.Force(Blake3Isa.Portable);
        return Blake3.Hash(_input);
    }

    /// <summary>
    /// The code as it was before row compression: scalar compressions, then the root output block built, serialised
    /// word by word and copied (<see cref="Blake3Output.RootBytes"/>) even for a 32-byte hash.
    /// </summary>
    [Benchmark]
    public Hash32 HashBefore()
    {
        using var _ = Blake3Chunks.Force(Blake3Isa.Portable);
        Span<byte> hash = stackalloc byte[Blake3.OutLength];
        Blake3SingleChunk.Output(Blake3Key.Hash, _input).RootBytes(0, hash);
        return new Hash32(hash);
    }

    /// <summary>Forces the detected back end so both methods pay the same thread-static write.</summary>
    [Benchmark]
    public Hash32 HashRows()
    {
        using var _ = Blake3Chunks.Force(Blake3Chunks.Detected);
        return Blake3.Hash(_input);
    }

    [Benchmark]
    public Hash32 DomainHashPortable()
    {
        using var _ = Blake3Chunks.Force(Blake3Isa.Portable);
        return DomainHash.Compute(DomainHash.Tx, _input);
    }

    [Benchmark]
    public Hash32 DomainHashRows()
    {
        using var _ = Blake3Chunks.Force(Blake3Chunks.Detected);
        return DomainHash.Compute(DomainHash.Tx, _input);
    }
}

/// <summary>One compression of one block (the in-place CV update of a non-final block): each implementation alone.</summary>
public class Blake3CompressBenchmarks
{
    private readonly byte[] _block = new byte[64];
    private Blake3Words _cv;

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_block);
        _cv = Blake3Key.Hash.Words;
    }

    [Benchmark(Baseline = true)]
    public uint Portable()
    {
        Blake3Portable.CompressInPlace(ref _cv, _block, 0, 64, 0);
        return _cv[0];
    }

    [Benchmark]
    public uint RowsSsse3()
    {
        Blake3Rows.CompressInPlace<Blake3Ssse3Rotations>(ref _cv, _block, 0, 64, 0);
        return _cv[0];
    }

    [Benchmark]
    public uint RowsAvx512()
    {
        if (!Blake3Avx512Rotations.IsSupported) return 0;
        Blake3Rows.CompressInPlace<Blake3Avx512Rotations>(ref _cv, _block, 0, 64, 0);
        return _cv[0];
    }
}
