using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>Single-thread BLAKE3 throughput by input size (GiB/s = Bytes / Mean).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class Blake3Benchmarks
{
    private byte[] _input = [];
    private readonly byte[] _xof = new byte[2048];

    [Params(64, 1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Bytes];
        new Random(42).NextBytes(_input);
    }

    [Benchmark]
    [BenchmarkCategory("Hash")]
    public Hash32 Hash() => Blake3.Hash(_input);

    /// <summary>Scalar baseline: the same hash through the portable back end.</summary>
    [Benchmark]
    [BenchmarkCategory("Hash")]
    public Hash32 HashPortable()
    {
        using var _ = Blake3Chunks.Force(Blake3Isa.Portable);
        return Blake3.Hash(_input);
    }

    /// <summary>LtHash-style expansion: 2,048 output bytes (32 XOF blocks) of the input.</summary>
    [Benchmark]
    [BenchmarkCategory("Xof2048")]
    public byte Xof2048()
    {
        Blake3.Hash(Blake3Key.Hash, _input, _xof);
        return _xof[0];
    }
}

/// <summary>1,000 transaction-sized (256-byte) messages: the batch API against one call per message.</summary>
[MemoryDiagnoser]
public class Blake3BatchBenchmarks
{
    private const int Count = 1000;
    private const int Size = 256;
    private readonly byte[] _messages = new byte[Count * Size];
    private readonly int[] _offsets = new int[Count + 1];
    private readonly Hash32[] _hashes = new Hash32[Count];

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_messages);
        for (int i = 0; i <= Count; i++) _offsets[i] = i * Size;
    }

    [Benchmark(Baseline = true)]
    public Hash32 OneAtATimeDomainHash()
    {
        for (int i = 0; i < Count; i++) _hashes[i] = DomainHash.Compute(DomainHash.Tx, _messages.AsSpan(i * Size, Size));
        return _hashes[^1];
    }

    [Benchmark]
    public Hash32 OneAtATimeBlake3Hash()
    {
        for (int i = 0; i < Count; i++) _hashes[i] = Blake3.Hash(_messages.AsSpan(i * Size, Size));
        return _hashes[^1];
    }

    [Benchmark]
    public Hash32 Batch()
    {
        Blake3Batch.Hash(DomainHash.Tx, _messages, _offsets, _hashes);
        return _hashes[^1];
    }
}
