using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Core.Tests.Consensus.Simulation;

/// <summary>How simulated witnesses sign: real Ed25519, or a cheap keyed hash for the many-seed runs (a host-level choice).</summary>
internal interface ISimSigner
{
    string Name { get; }

    Signature64 Sign(int witness, in Hash32 message);

    bool Verify(int witness, in Hash32 message, in Signature64 signature);
}

/// <summary>Real Ed25519 keys per witness, derived from the run's seed.</summary>
internal sealed class Ed25519SimSigner : ISimSigner
{
    private readonly byte[][] _seeds;
    private readonly byte[][] _publicKeys;

    public Ed25519SimSigner(int witnesses, Random random)
    {
        _seeds = new byte[witnesses][];
        _publicKeys = new byte[witnesses][];
        for (int i = 0; i < witnesses; i++)
        {
            _seeds[i] = new byte[32];
            random.NextBytes(_seeds[i]);
            _publicKeys[i] = new byte[32];
            CryptoEd25519.PublicKeyFromSeed(_seeds[i], _publicKeys[i]);
        }
    }

    public string Name => "ed25519";

    public Signature64 Sign(int witness, in Hash32 message)
    {
        Span<byte> signature = stackalloc byte[64];
        CryptoEd25519.Sign(_seeds[witness], message.Span, signature);
        return new Signature64(signature);
    }

    public bool Verify(int witness, in Hash32 message, in Signature64 signature) =>
        (uint)witness < (uint)_publicKeys.Length && CryptoEd25519.Verify(_publicKeys[witness], message.Span, signature.Span);
}

/// <summary>
/// Signature = BLAKE3 keyed hash of the message under the witness's secret key, 64 bytes of output. Only the
/// simulator uses it: unforgeable for the simulated Byzantine nodes (they never see honest keys); a run is ~20× faster.
/// </summary>
internal sealed class KeyedHashSimSigner : ISimSigner
{
    private readonly Blake3Key[] _keys;

    public KeyedHashSimSigner(int witnesses, Random random)
    {
        _keys = new Blake3Key[witnesses];
        Span<byte> key = stackalloc byte[32];
        for (int i = 0; i < witnesses; i++)
        {
            random.NextBytes(key);
            _keys[i] = Blake3Key.Keyed(key);
        }
    }

    public string Name => "keyed-blake3";

    public Signature64 Sign(int witness, in Hash32 message)
    {
        Span<byte> signature = stackalloc byte[64];
        Blake3.Hash(_keys[witness], message.Span, signature);
        return new Signature64(signature);
    }

    public bool Verify(int witness, in Hash32 message, in Signature64 signature)
    {
        if ((uint)witness >= (uint)_keys.Length) return false;
        Span<byte> expected = stackalloc byte[64];
        Blake3.Hash(_keys[witness], message.Span, expected);
        return expected.SequenceEqual(signature.Span);
    }
}
