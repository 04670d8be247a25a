using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>Read access to committed staking records (the ledger's shard stores).</summary>
internal interface IStakingRecords
{
    CandidateRecord? ReadCandidate(in Hash32 nodeKey);

    StakePositionRecord? ReadPosition(in Hash32 positionId);
}
