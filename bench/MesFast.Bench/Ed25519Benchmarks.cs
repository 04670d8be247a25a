using BenchmarkDotNet.Attributes;
using MesFast.Crypto;
using Ed25519 = MesFast.Crypto.Ed25519;
using NSec.Cryptography;

namespace MesFast.Bench;

/// <summary>
/// Per-signature cost of Ed25519 verification: libsodium (NSec) single verify vs ours (ZIP-215) single and batch.
/// Messages are 32 bytes (transaction ids). Batch benchmarks set OperationsPerInvoke so "Mean" is per signature.
/// </summary>
[MemoryDiagnoser]
public class Ed25519Benchmarks
{
    private const int MaxBatch = 1024;
    private const int MessageLength = 32;

    private byte[] _seeds = [];
    private byte[] _publicKeys = [];
    private byte[] _messages = [];
    private byte[] _signatures = [];
    private bool[] _valid = [];
    private PublicKey _nsecKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _seeds = new byte[MaxBatch * 32];
        _publicKeys = new byte[MaxBatch * 32];
        _messages = new byte[MaxBatch * MessageLength];
        _signatures = new byte[MaxBatch * 64];
        _valid = new bool[MaxBatch];
        rng.NextBytes(_seeds);
        rng.NextBytes(_messages);
        for (int i = 0; i < MaxBatch; i++)
        {
            Ed25519.PublicKeyFromSeed(_seeds.AsSpan(i * 32, 32), _publicKeys.AsSpan(i * 32, 32));
            Ed25519.Sign(_seeds.AsSpan(i * 32, 32), _messages.AsSpan(i * MessageLength, MessageLength), _signatures.AsSpan(i * 64, 64));
        }
        _nsecKey = PublicKey.Import(SignatureAlgorithm.Ed25519, _publicKeys.AsSpan(0, 32), KeyBlobFormat.RawPublicKey);
    }

    [Benchmark(Baseline = true, Description = "libsodium single verify")]
    public bool LibSodiumVerify()
        => SignatureAlgorithm.Ed25519.Verify(_nsecKey, _messages.AsSpan(0, MessageLength), _signatures.AsSpan(0, 64));

    [Benchmark(Description = "ours single verify")]
    public bool OursVerify()
        => Ed25519.Verify(_publicKeys.AsSpan(0, 32), _messages.AsSpan(0, MessageLength), _signatures.AsSpan(0, 64));

    private int Batch(int n)
        => Ed25519Batch.Verify(_publicKeys.AsSpan(0, n * 32), _signatures.AsSpan(0, n * 64), _messages.AsSpan(0, n * MessageLength), MessageLength, _valid.AsSpan(0, n));

    [Benchmark(OperationsPerInvoke = 16, Description = "ours batch 16 (per sig)")]
    public int OursBatch16() => Batch(16);

    [Benchmark(OperationsPerInvoke = 64, Description = "ours batch 64 (per sig)")]
    public int OursBatch64() => Batch(64);

    [Benchmark(OperationsPerInvoke = 256, Description = "ours batch 256 (per sig)")]
    public int OursBatch256() => Batch(256);

    [Benchmark(OperationsPerInvoke = MaxBatch, Description = "ours parallel 1024 (per sig, all cores)")]
    public int OursParallel1024()
        => Ed25519Batch.VerifyParallel(_publicKeys, _signatures, _messages, MessageLength, _valid);

    [Benchmark(Description = "NSec sign")]
    public void Sign()
    {
        Span<byte> sig = stackalloc byte[64];
        Ed25519.Sign(_seeds.AsSpan(0, 32), _messages.AsSpan(0, MessageLength), sig);
    }
}
