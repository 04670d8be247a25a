using MesFast.Core.Codec;
using MesFast.Core.Dpos;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>
/// What a block must agree on with the witness schedule (PROTOCOL §11.7) and whom its reward goes to. Shared by
/// proposal execution, peer blocks, recovery replay and <c>mesd verify</c>.
/// </summary>
internal static class ScheduledBlockRules
{
    /// <summary>
    /// Checks a block's schedule-derived header fields against the schedule (epoch, witness set hash, proposer,
    /// nextWitnessCount) and its lastCommit against the set of height − 1 (the previous block, one flag per witness,
    /// 2f+1 valid signatures when <paramref name="verifySignatures"/>; block 1's is the genesis block's empty one).
    /// </summary>
    public static bool Check(WitnessSchedule schedule, uint chainId, in BlockView block, bool verifySignatures, out string error)
    {
        var header = block.Header;
        ulong height = header.Height;
        var round = schedule.ForHeight(height);
        if (height == 0 || round is null || !ReferenceEquals(round, schedule.Current)) { error = $"height {height} is not the next height of the schedule"; return false; }
        if (header.Epoch != round.Epoch) { error = $"epoch {header.Epoch}, expected {round.Epoch}"; return false; }
        if (header.WitnessSetHash != round.Set.Hash) { error = "witness set hash differs from the schedule"; return false; }
        if (header.Proposer != round.Proposer(height, header.View)) { error = $"proposer {header.Proposer}, the schedule says {round.Proposer(height, header.View)}"; return false; }
        int expectedCount = schedule.ExpectedNextWitnessCount(height, Dec.FullnessBps(block.Bytes.Length, block.TxCount));
        if (header.NextWitnessCount != expectedCount) { error = $"nextWitnessCount {header.NextWitnessCount}, expected {expectedCount}"; return false; }
        var signers = schedule.ForHeight(height - 1);
        var lastCommit = block.LastCommit;
        if (signers is null) { error = $"the witness set of height {height - 1} is not known"; return false; }
        if (lastCommit.Height != height - 1 || lastCommit.Block != header.Prev || lastCommit.SignerBitCount != signers.Set.Count)
        {
            error = "lastCommit is not a certificate of the previous block by its witness set";
            return false;
        }
        if (height == 1)
        {
            if (lastCommit.SignatureCount != 0) { error = "block 1's lastCommit must be empty"; return false; }
        }
        else if (verifySignatures)
        {
            var certificate = CommitCertificate.FromView(lastCommit);
            if (!CertificateCheck.IsValid(certificate, signers.Set, chainId, height - 1, header.Prev, out error)) { error = "lastCommit: " + error; return false; }
        }
        error = "";
        return true;
    }

    /// <summary>
    /// The reward recipients of a block whose fields passed <see cref="Check"/>: its proposer (reward
    /// address and node key) and one reward address per set bit of its lastCommit (the set of height − 1).
    /// </summary>
    public static BlockRewardRecipients RewardsFor(WitnessSchedule schedule, in BlockView block)
    {
        var header = block.Header;
        var set = schedule.ForHeight(header.Height)!.Set;
        var signerSet = schedule.ForHeight(header.Height - 1)!.Set;
        var lastCommit = block.LastCommit;
        var signers = new Address[lastCommit.SignatureCount];
        for (int i = 0, k = 0; i < lastCommit.SignerBitCount && k < signers.Length; i++)
            if (lastCommit.IsSigner(i)) signers[k++] = signerSet.RewardAddresses[i];
        int proposer = header.Proposer;
        return new BlockRewardRecipients(set.RewardAddresses[proposer], set.PublicKeys[proposer], signers);
    }

    /// <summary>After the block is applied: the schedule records it (misses, fullness) and crosses boundaries.</summary>
    public static void Advance(WitnessSchedule schedule, in BlockView block, in Hash32 blockHash, ICandidateSource source) =>
        schedule.AfterBlock(block.Header.Height, block.Header.View, Dec.FullnessBps(block.Bytes.Length, block.TxCount), blockHash, source);
}
