using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>
/// The witnesses of an epoch in proposer order: node keys, reward addresses, f and the 2f+1 quorum.
/// <c>witnessSetHash = H(witness-set, u16 count ‖ count × publicKey)</c> (PROTOCOL §7.7).
/// </summary>
internal sealed class WitnessSet
{
    public static readonly Blake3Key HashDomain = DomainHash.ForTag("witness-set");

    public WitnessSet(GenesisWitness[] witnesses)
    {
        if (witnesses.Length == 0) throw new ArgumentException("a witness set is never empty", nameof(witnesses));
        PublicKeys = new Hash32[witnesses.Length];
        RewardAddresses = new Address[witnesses.Length];
        var preimage = new byte[2 + 32 * witnesses.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(preimage, (ushort)witnesses.Length);
        for (int i = 0; i < witnesses.Length; i++)
        {
            PublicKeys[i] = witnesses[i].PublicKey;
            RewardAddresses[i] = witnesses[i].RewardAddress;
            witnesses[i].PublicKey.CopyTo(preimage.AsSpan(2 + 32 * i));
        }
        Hash = DomainHash.Compute(HashDomain, preimage);
    }

    public Hash32[] PublicKeys { get; }

    public Address[] RewardAddresses { get; }

    public Hash32 Hash { get; }

    public int Count => PublicKeys.Length;

    /// <summary>Faults tolerated: f = ⌊(N − 1) / 3⌋.</summary>
    public int F => (Count - 1) / 3;

    public int Quorum => 2 * F + 1;

    /// <summary>Index of a node key in the set, or -1.</summary>
    public int IndexOf(in Hash32 publicKey)
    {
        for (int i = 0; i < PublicKeys.Length; i++)
            if (PublicKeys[i] == publicKey) return i;
        return -1;
    }
}
