using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>
/// The witnesses in force at a height, in set order (the index a vote, a certificate bit and a header's
/// <c>proposer</c> refer to): node keys, reward addresses, f and the 2f+1 quorum.
/// <c>witnessSetHash = H(witness-set, u16 count ‖ count × publicKey)</c> (PROTOCOL §7.7).
/// </summary>
internal sealed class WitnessSet
{
    public static readonly Blake3Key HashDomain = DomainHash.ForTag("witness-set");

    public WitnessSet(GenesisWitness[] witnesses)
        : this(KeysOf(witnesses), AddressesOf(witnesses))
    {
    }

    public WitnessSet(Hash32[] publicKeys, Address[] rewardAddresses)
    {
        if (publicKeys.Length == 0) throw new ArgumentException("a witness set is never empty", nameof(publicKeys));
        if (rewardAddresses.Length != publicKeys.Length) throw new ArgumentException("one reward address per witness", nameof(rewardAddresses));
        PublicKeys = publicKeys;
        RewardAddresses = rewardAddresses;
        var preimage = new byte[2 + 32 * publicKeys.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(preimage, (ushort)publicKeys.Length);
        for (int i = 0; i < publicKeys.Length; i++) publicKeys[i].CopyTo(preimage.AsSpan(2 + 32 * i));
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

    private static Hash32[] KeysOf(GenesisWitness[] witnesses)
    {
        var keys = new Hash32[witnesses.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = witnesses[i].PublicKey;
        return keys;
    }

    private static Address[] AddressesOf(GenesisWitness[] witnesses)
    {
        var addresses = new Address[witnesses.Length];
        for (int i = 0; i < addresses.Length; i++) addresses[i] = witnesses[i].RewardAddress;
        return addresses;
    }
}
