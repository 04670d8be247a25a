using MesFast.Core.Dpos;
using MesFast.Core.Ledger.Staking;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>Staking queries (PROTOCOL §11): candidates, positions, claimable rewards and the election inputs.</summary>
public sealed partial class LedgerState
{
    /// <summary>Above the largest candidate (≈ 600 B) and position (30 approvals ≈ 1.5 KB) value.</summary>
    private const int MaxModuleValueBytes = 4096;

    private readonly CandidateIndex _candidates = new();

    /// <summary>Every registered candidate, sorted by node key (a snapshot).</summary>
    public CandidateRecord[] GetCandidates() => _candidates.Snapshot();

    /// <summary>The election input: every candidate's node key and weight, sorted by node key.</summary>
    public WeightedCandidate[] GetCandidateWeights()
    {
        var all = _candidates.Snapshot();
        var weights = new WeightedCandidate[all.Length];
        for (int i = 0; i < all.Length; i++) weights[i] = new WeightedCandidate(all[i].NodeKey, all[i].Weight);
        return weights;
    }

    /// <summary>The top <paramref name="n"/> candidates by weight (ties by node key), in rank order (DESIGN §5).</summary>
    public Hash32[] ElectWitnesses(int n) => Election.TopN(GetCandidateWeights(), n);

    /// <summary>The epoch's witness set (3f+1 sized, ≤ n, rank order): <see cref="Election.ElectBftSet"/> over the current candidates.</summary>
    public Hash32[] ElectWitnessSet(int n) => Election.ElectBftSet(GetCandidateWeights(), n);

    public bool TryGetCandidate(in Hash32 nodeKey, out CandidateRecord? candidate)
    {
        candidate = ReadCandidate(nodeKey);
        return candidate is not null;
    }

    public bool TryGetStakePosition(in Hash32 positionId, out StakePositionRecord? position)
    {
        position = ReadPosition(positionId);
        return position is not null;
    }

    /// <summary>What a ClaimRewards of the position would pay now (settled plus accrued); 0 when unknown.</summary>
    public ulong ClaimableRewards(in Hash32 positionId) => ReadPosition(positionId) is { } position ? ClaimableRewards(position) : 0;

    /// <summary>What a ClaimRewards of <paramref name="position"/> would pay now (settled plus accrued).</summary>
    public ulong ClaimableRewards(StakePositionRecord position)
    {
        ulong total = position.Settled;
        foreach (var approval in position.Approvals)
        {
            var candidate = ReadCandidate(approval.NodeKey);
            if (candidate is null || !RewardIndex.TryAccrued(position.Amount, approval.EntryIndex, candidate.RewardIndex, out ulong accrued)) continue;
            total = ulong.MaxValue - total < accrued ? ulong.MaxValue : total + accrued;
        }
        return total;
    }

    public CandidateRecord? ReadCandidate(in Hash32 nodeKey)
    {
        var value = ReadModuleRecord(RecordKeys.CandidateType, nodeKey);
        return value is null ? null : CandidateRecord.DecodeValue(nodeKey, value);
    }

    public StakePositionRecord? ReadPosition(in Hash32 positionId)
    {
        var value = ReadModuleRecord(RecordKeys.StakeType, positionId);
        return value is null ? null : StakePositionRecord.DecodeValue(positionId, value);
    }

    private byte[]? ReadModuleRecord(byte type, in Hash32 id)
    {
        Span<byte> key = stackalloc byte[RecordKeys.ModuleKeySize];
        key[0] = type;
        id.CopyTo(key[1..]);
        Span<byte> buffer = stackalloc byte[MaxModuleValueBytes];
        int length = _shards[Map.ShardOf(key)].Read(key, buffer);
        return length < 0 ? null : buffer[..length].ToArray();
    }
}
