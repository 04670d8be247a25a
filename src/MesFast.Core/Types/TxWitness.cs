namespace MesFast.Core.Types;

/// <summary>A transaction witness (DESIGN §3): <c>PubKey32; Sig64</c>, 96 bytes on the wire; the signature signs the txid.</summary>
public readonly record struct TxWitness(PublicKey32 PublicKey, Signature64 Signature)
{
    public const int EncodedSize = PublicKey32.Size + Signature64.Size;
}

/// <summary>A witness inside an encoded transaction, as slices of the input (no copy).</summary>
public readonly ref struct TxWitnessView(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
{
    public ReadOnlySpan<byte> PublicKey { get; } = publicKey;

    public ReadOnlySpan<byte> Signature { get; } = signature;
}
