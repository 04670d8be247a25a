using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary><c>lastCommitHash = H(commit, lastCommit encoding)</c> (PROTOCOL §7.7: "commit" is a tag added to DESIGN §2's list).</summary>
internal static class CommitHash
{
    public static readonly Blake3Key Domain = DomainHash.ForTag("commit");

    public static Hash32 Of(CommitCertificate certificate) => DomainHash.Compute(Domain, certificate.ToBytes());

    public static Hash32 Of(ReadOnlySpan<byte> certificateEncoding) => DomainHash.Compute(Domain, certificateEncoding);
}
