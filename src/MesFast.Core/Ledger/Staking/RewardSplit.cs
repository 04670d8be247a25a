namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// How a block's reward R = fees + subsidy is split (PROTOCOL §11.4), exact integers:
/// signers = ⌊R · lastCommitShareBps / 10⁴⌋ when the block's lastCommit has signers (else 0), each signer gets
/// ⌊signers / k⌋ and the remainder goes to the proposer; of the rest, voters = ⌊rest · voterShareBps / 10⁴⌋ when
/// the proposer is a candidate with weight &gt; 0 (else 0) and feeds its reward index; the proposer gets the remainder.
/// </summary>
public readonly record struct RewardSplit(ulong Proposer, ulong PerSigner, ulong Voters)
{
    public static RewardSplit Compute(ulong reward, int lastCommitShareBps, int signerCount, int voterShareBps, ulong proposerWeight)
    {
        ulong signerPool = signerCount > 0 ? (ulong)((UInt128)reward * (uint)lastCommitShareBps / Dpos.DposParams.BasisPoints) : 0;
        ulong perSigner = signerCount > 0 ? signerPool / (ulong)signerCount : 0;
        ulong paidToSigners = perSigner * (ulong)signerCount;
        ulong rest = reward - signerPool;
        ulong voters = proposerWeight > 0 ? (ulong)((UInt128)rest * (uint)voterShareBps / Dpos.DposParams.BasisPoints) : 0;
        // reward = paidToSigners + (signerPool − paidToSigners) + voters + (rest − voters): nothing is lost.
        return new RewardSplit(rest - voters + (signerPool - paidToSigners), perSigner, voters);
    }
}
