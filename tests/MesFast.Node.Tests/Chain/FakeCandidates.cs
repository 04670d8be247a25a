using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Chain;
using MesFast.Node.Config;

namespace MesFast.Node.Tests.Chain;

/// <summary>Candidate weights and owners set by a test, as the schedule reads them from the state.</summary>
internal sealed class FakeCandidates : ICandidateSource
{
    private readonly Dictionary<Hash32, (ulong Weight, Address Owner)> _all = [];

    public void Set(in Hash32 key, ulong weight, Address owner) => _all[key] = (weight, owner);

    public WeightedCandidate[] CandidateWeights()
    {
        var list = new List<WeightedCandidate>();
        foreach (var (key, value) in _all) list.Add(new WeightedCandidate(key, value.Weight));
        return [.. list];
    }

    public Address OwnerOf(in Hash32 nodeKey) => _all.TryGetValue(nodeKey, out var c) ? c.Owner : default;

    private static int _counter;

    /// <summary>A distinct key whose first byte is <paramref name="tag"/> (so tests can tell keys apart).</summary>
    public static Hash32 Key(byte tag)
    {
        var bytes = new byte[32];
        bytes[0] = tag;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), Interlocked.Increment(ref _counter));
        return new Hash32(bytes);
    }

    public static Address AddressOf(in Hash32 key) => new(key.Span[..Address.Size]);

    public static GenesisWitness[] Genesis(int n)
    {
        var witnesses = new GenesisWitness[n];
        for (int i = 0; i < n; i++)
        {
            var key = Key(0xee);
            witnesses[i] = new GenesisWitness(key, AddressOf(key));
        }
        return witnesses;
    }
}
