using MesFast.Crypto;

namespace MesFast.Network.Handshake;

/// <summary>
/// The Auth frame's signature: each side proves it holds its node key by signing
/// <c>H(p2p-auth, peerNonce ‖ chainId ‖ genesisHash ‖ signerKey ‖ peerKey)</c>. Binding both keys and the chain keeps
/// a proof from being replayed to another peer or onto another chain; the fresh nonce keeps it from being replayed
/// later.
/// </summary>
public static class HandshakeProof
{
    private static readonly Blake3Key Domain = DomainHash.ForTag("p2p-auth");

    public static Hash32 Message(in Hash32 peerNonce, uint chainId, in Hash32 genesisHash, in Hash32 signerKey, in Hash32 peerKey)
    {
        Span<byte> preimage = stackalloc byte[32 + 4 + 32 + 32 + 32];
        peerNonce.CopyTo(preimage);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(preimage[32..], chainId);
        genesisHash.CopyTo(preimage[36..]);
        signerKey.CopyTo(preimage[68..]);
        peerKey.CopyTo(preimage[100..]);
        return DomainHash.Compute(Domain, preimage);
    }

    public static byte[] Sign(ReadOnlySpan<byte> nodeSeed, in Hash32 message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(nodeSeed, message.Span, signature);
        return signature;
    }

    public static bool Verify(in Hash32 signerKey, in Hash32 message, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signerKey.Span, message.Span, signature);
}
