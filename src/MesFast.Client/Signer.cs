using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Client;

/// <summary>An Ed25519 signing key held in memory (seed zeroed on dispose).</summary>
public sealed class Signer : IDisposable
{
    private readonly byte[] _seed;

    public Signer(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        _seed = seed.ToArray();
        var publicKey = new byte[32];
        CryptoEd25519.PublicKeyFromSeed(_seed, publicKey);
        PublicKey = publicKey;
        Address = Address.FromPublicKey(publicKey);
    }

    public byte[] PublicKey { get; }

    public Address Address { get; }

    public static Signer Generate()
    {
        Span<byte> seed = stackalloc byte[32];
        Span<byte> publicKey = stackalloc byte[32];
        CryptoEd25519.GenerateKey(seed, publicKey);
        var signer = new Signer(seed);
        seed.Clear();
        return signer;
    }

    /// <summary>Copies the seed out (for the keystore, which encrypts it at once).</summary>
    public byte[] ExportSeed() => (byte[])_seed.Clone();

    public TxWitness Witness(in Hash32 txid)
    {
        var signature = new byte[64];
        CryptoEd25519.Sign(_seed, txid.Span, signature);
        return new TxWitness(new PublicKey32(PublicKey), new Signature64(signature));
    }

    public void Dispose() => Array.Clear(_seed);
}
