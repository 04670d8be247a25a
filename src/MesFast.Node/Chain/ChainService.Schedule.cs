using MesFast.Core.Codec;
using MesFast.Core.Ledger.Staking;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>The chain's use of the witness schedule: header fields, lastCommit checks and reward recipients.</summary>
internal sealed partial class ChainService
{
    private WitnessSchedule _schedule = null!;

    /// <summary>Who proposes and signs at each height (PROTOCOL §11.7); readable from any thread.</summary>
    public WitnessSchedule Schedule => _schedule;

    private bool CheckScheduleFields(in BlockView block, bool verifySignatures, out string error) =>
        ScheduledBlockRules.Check(_schedule, Genesis.ChainId, block, verifySignatures, out error);

    private BlockRewardRecipients RewardsFor(in BlockView block) => ScheduledBlockRules.RewardsFor(_schedule, block);

    /// <summary>Chain thread, after a block is final and durable: the schedule moves on (misses, fullness, boundaries).</summary>
    private void AdvanceSchedule(in BlockView block, in Hash32 blockHash) =>
        ScheduledBlockRules.Advance(_schedule, block, blockHash, new LedgerCandidates(Ledger));

    private string BlocksDir => Path.Combine(_config.DataDir, "blocks");

    /// <summary>The node's witness index at <paramref name="height"/>, or -1 (not a witness there, or the round is not known yet).</summary>
    private int SelfIndexAt(ulong height) =>
        _selfKey is { } self && _schedule.ForHeight(height) is { } round ? round.Set.IndexOf(self) : -1;
}
