using MesFast.Core.Consensus;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>
/// Checks a commit certificate from a peer: one signer flag per witness, at least 2f+1 signers, and every
/// signature a valid Commit vote of that witness for (height, view, block) — verified as one batch.
/// </summary>
internal static class CertificateCheck
{
    public static bool IsValid(CommitCertificate certificate, WitnessSet witnesses, uint chainId, ulong height, in Hash32 blockHash, out string error)
    {
        if (certificate.Height != height || certificate.Block != blockHash) { error = "certificate is for another block"; return false; }
        if (certificate.Signers.Length != witnesses.Count) { error = $"certificate has {certificate.Signers.Length} signer flags for {witnesses.Count} witnesses"; return false; }
        int signers = 0;
        foreach (bool s in certificate.Signers) if (s) signers++;
        if (signers != certificate.Signatures.Length) { error = "certificate signature count does not match its signers"; return false; }
        if (signers < witnesses.Quorum) { error = $"certificate has {signers} signers, the quorum is {witnesses.Quorum}"; return false; }
        Hash32 message = Vote.SigningHash(VotePhase.Commit, chainId, height, certificate.View, blockHash);
        var keys = new byte[32 * signers];
        var signatures = new byte[64 * signers];
        var messages = new byte[32 * signers];
        for (int i = 0, k = 0; i < certificate.Signers.Length; i++)
        {
            if (!certificate.Signers[i]) continue;
            witnesses.PublicKeys[i].CopyTo(keys.AsSpan(32 * k));
            certificate.Signatures[k].Span.CopyTo(signatures.AsSpan(64 * k));
            message.CopyTo(messages.AsSpan(32 * k));
            k++;
        }
        Span<bool> valid = signers <= 256 ? stackalloc bool[signers] : new bool[signers];
        if (Ed25519Batch.Verify(keys, signatures, messages, 32, valid) != 0) { error = "certificate has an invalid signature"; return false; }
        error = "";
        return true;
    }
}
