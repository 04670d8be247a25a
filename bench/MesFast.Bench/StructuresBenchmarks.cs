using BenchmarkDotNet.Attributes;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>Block transaction root (DESIGN §4) over a large block's txids.</summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private Hash32[] _txids = [];
    private MerkleProof _proof = null!;
    private Hash32 _root;

    [Params(5000)]
    public int TxCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var bytes = new byte[32];
        _txids = new Hash32[TxCount];
        for (int i = 0; i < TxCount; i++)
        {
            rng.NextBytes(bytes);
            _txids[i] = new Hash32(bytes);
        }
        _root = MerkleTree.ComputeRoot(_txids);
        _proof = MerkleTree.CreateProof(_txids, TxCount / 3);
    }

    [Benchmark]
    public Hash32 MerkleRoot() => MerkleTree.ComputeRoot(_txids);

    /// <summary>Builds the whole tree once to collect one leaf's siblings.</summary>
    [Benchmark]
    public MerkleProof MerkleCreateProof() => MerkleTree.CreateProof(_txids, TxCount / 3);

    /// <summary>What a light client pays: ⌈log2 n⌉ node hashes plus the leaf hash.</summary>
    [Benchmark]
    public bool MerkleVerifyProof() => _proof.Verify(_txids[TxCount / 3], _root);
}

/// <summary>State root accumulator (DESIGN §4): one entry update, and the bare lane arithmetic per path.</summary>
[MemoryDiagnoser]
public class LtHashBenchmarks
{
    private readonly LtHash _hash = new();
    private readonly LtHash _other = new();
    private readonly byte[] _entry = new byte[100];
    private readonly ushort[] _acc = new ushort[LtHash.LaneCount];
    private readonly ushort[] _x = new ushort[LtHash.LaneCount];

    [GlobalSetup]
    public void Setup()
    {
        new Random(2).NextBytes(_entry);
        _other.Add(_entry);
        _other.Lanes.CopyTo(_x);
    }

    /// <summary>Expansion (2,048 XOF bytes) plus lane add, best path.</summary>
    [Benchmark]
    public void LtHashAddEntry100B() => _hash.Add(_entry);

    /// <summary>Lane add of two accumulators, best path.</summary>
    [Benchmark]
    public void LtHashAddLanes() => _hash.Add(_other);

    [Benchmark]
    public void LtHashLaneAdd_Scalar() => LtHashLanes.Add(_acc, _x, LtHashLanePath.Scalar);

    [Benchmark]
    public void LtHashLaneAdd_Vector128() => LtHashLanes.Add(_acc, _x, LtHashLanePath.Vector128);

    [Benchmark]
    public void LtHashLaneAdd_Vector256() => LtHashLanes.Add(_acc, _x, LtHashLanePath.Vector256);

    [Benchmark]
    public void LtHashLaneAdd_Vector512() => LtHashLanes.Add(_acc, _x, LtHashLanePath.Vector512);

    [Benchmark]
    public Hash32 LtHashDigest() => _hash.Digest();
}

/// <summary>Address text form (DESIGN §2): bech32m encode and parse of a mainnet address.</summary>
[MemoryDiagnoser]
public class AddressBenchmarks
{
    private Address _address;
    private readonly byte[] _key = new byte[32];
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        new Random(3).NextBytes(_key);
        _address = Address.FromPublicKey(_key);
        _text = _address.ToBech32(Address.MainnetHrp);
    }

    [Benchmark]
    public string AddressEncode() => _address.ToBech32(Address.MainnetHrp);

    [Benchmark]
    public Address AddressDecode()
    {
        Address.TryParse(_text, Address.MainnetHrp, out Address a, out _);
        return a;
    }

    [Benchmark]
    public Address AddressFromPublicKey() => Address.FromPublicKey(_key);
}
