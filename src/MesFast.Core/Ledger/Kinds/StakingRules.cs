using MesFast.Core.Codec;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>
/// RegisterWitness, Stake, Unstake and ClaimRewards (PROTOCOL §11.2): checks a transaction against the staking
/// records and computes its <see cref="StakingChange"/> without writing anything. The actor is the owner of input 0
/// (its witness signature is required by the common rules), so no extra authorisation field is needed.
/// </summary>
internal static class StakingRules
{
    public static bool IsStakingKind(TxKind kind) => kind is TxKind.RegisterWitness or TxKind.Stake or TxKind.Unstake or TxKind.ClaimRewards;

    /// <param name="registration">the parsed RegisterWitness payload (parsed earlier: its node key must sign).</param>
    /// <param name="txid">the transaction id (a Stake's position id); any value for a mempool check.</param>
    public static bool TryCheck(in TxView tx, RegisterWitnessPayload? registration, in Hash32 txid, ulong height, LedgerParams rules,
        StakingOverlay staking, in Address actor, out StakingChange? change, out TxRejection rejection)
    {
        change = null;
        switch (tx.Kind)
        {
            case TxKind.RegisterWitness:
                return TryRegister(registration!, height, rules, staking, actor, out change, out rejection);
            case TxKind.Stake:
                if (!StakePayload.TryParse(tx.Payload, out var stake, out string problem))
                    return TxRules.Reject(LedgerErrors.BadPayload, $"Stake payload: {problem}", out rejection);
                return TryStake(stake!, txid, height, staking, actor, out change, out rejection);
            default:
                if (!PositionPayload.TryParse(tx.Payload, out var positionId, out problem))
                    return TxRules.Reject(LedgerErrors.BadPayload, $"{tx.Kind} payload: {problem}", out rejection);
                var position = staking.Position(positionId);
                if (position is null)
                    return TxRules.Reject(LedgerErrors.UnknownPosition, $"no stake position {positionId}", out rejection);
                if (position.Owner != actor)
                    return TxRules.Reject(LedgerErrors.NotOwner, $"position {positionId} belongs to {position.Owner}; input 0 must be the owner's", out rejection);
                return tx.Kind == TxKind.Unstake
                    ? TryUnstake(position, height, rules, staking, out change, out rejection)
                    : TryClaim(position, staking, out change, out rejection);
        }
    }

    private static bool TryRegister(RegisterWitnessPayload p, ulong height, LedgerParams rules, StakingOverlay staking, in Address actor,
        out StakingChange? change, out TxRejection rejection)
    {
        change = null;
        var existing = staking.Candidate(p.NodeKey);
        CandidateRecord record;
        if (existing is null)
        {
            if (p.Bond < rules.Dpos.MinBond)
                return TxRules.Reject(LedgerErrors.BondTooLow, $"a first registration bonds at least {rules.Dpos.MinBond}, got {p.Bond}", out rejection);
            record = new CandidateRecord(p.NodeKey, actor, p.Bond, 0, UInt128.Zero, p.VoterShareBps, height, p.Name, p.Url, p.Endpoint, p.Star);
        }
        else
        {
            if (existing.Owner != actor)
                return TxRules.Reject(LedgerErrors.NotOwner, $"candidate {p.NodeKey} is registered by {existing.Owner}", out rejection);
            if (ulong.MaxValue - existing.Bond < p.Bond)
                return TxRules.Reject(LedgerErrors.Overflow, "bond sums over 2^64 - 1", out rejection);
            record = existing with
            {
                Bond = existing.Bond + p.Bond, VoterShareBps = p.VoterShareBps, Name = p.Name, Url = p.Url, Endpoint = p.Endpoint, Star = p.Star,
            };
        }
        change = new StakingChange { Locked = p.Bond, Candidates = [record] };
        rejection = default;
        return true;
    }

    private static bool TryStake(StakePayload p, in Hash32 txid, ulong height, StakingOverlay staking, in Address actor,
        out StakingChange? change, out TxRejection rejection)
    {
        change = null;
        if (p.Amount == 0) return TxRules.Reject(LedgerErrors.ZeroAmount, "a stake locks more than 0", out rejection);
        var candidates = new CandidateRecord[p.Candidates.Length];
        var approvals = new Approval[p.Candidates.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            var candidate = staking.Candidate(p.Candidates[i]);
            if (candidate is null)
                return TxRules.Reject(LedgerErrors.UnknownCandidate, $"candidates[{i}] ({p.Candidates[i]}) is not registered", out rejection);
            if (ulong.MaxValue - candidate.Weight < p.Amount)
                return TxRules.Reject(LedgerErrors.Overflow, $"weight of {p.Candidates[i]} would exceed 2^64 - 1", out rejection);
            candidates[i] = candidate with { Weight = candidate.Weight + p.Amount };
            approvals[i] = new Approval(candidate.NodeKey, candidate.RewardIndex);
        }
        var position = new StakePositionRecord(txid, actor, p.Amount, height, 0, 0, approvals);
        change = new StakingChange { Locked = p.Amount, Candidates = candidates, TouchesPosition = true, PositionId = txid, Position = position };
        rejection = default;
        return true;
    }

    private static bool TryUnstake(StakePositionRecord position, ulong height, LedgerParams rules, StakingOverlay staking,
        out StakingChange? change, out TxRejection rejection)
    {
        change = null;
        if (position.IsUnbonding)
        {
            if (height < position.ReleaseHeight)
                return TxRules.Reject(LedgerErrors.StillUnbonding, $"position {position.Id} is released from height {position.ReleaseHeight}", out rejection);
            if (ulong.MaxValue - position.Amount < position.Settled)
                return TxRules.Reject(LedgerErrors.Overflow, "release amount over 2^64 - 1", out rejection);
            change = new StakingChange
            {
                Released = position.Amount + position.Settled, ReleaseOwner = position.Owner,
                TouchesPosition = true, PositionId = position.Id, Position = null,
            };
            rejection = default;
            return true;
        }
        if (!TrySettle(position, staking, out ulong accrued, out var candidates, out rejection)) return false;
        for (int i = 0; i < candidates.Length; i++) candidates[i] = candidates[i] with { Weight = candidates[i].Weight - position.Amount };
        if (ulong.MaxValue - height < rules.Dpos.UnbondingBlocks)
            return TxRules.Reject(LedgerErrors.Overflow, "release height over 2^64 - 1", out rejection);
        var unbonding = position with { ReleaseHeight = height + rules.Dpos.UnbondingBlocks, Settled = accrued, Approvals = [] };
        change = new StakingChange { Candidates = candidates, TouchesPosition = true, PositionId = position.Id, Position = unbonding };
        return true;
    }

    private static bool TryClaim(StakePositionRecord position, StakingOverlay staking, out StakingChange? change, out TxRejection rejection)
    {
        change = null;
        if (!TrySettle(position, staking, out ulong total, out var candidates, out rejection)) return false;
        if (total == 0) return TxRules.Reject(LedgerErrors.NothingToClaim, $"position {position.Id} has no rewards to claim", out rejection);
        var approvals = new Approval[candidates.Length];
        for (int i = 0; i < approvals.Length; i++) approvals[i] = new Approval(candidates[i].NodeKey, candidates[i].RewardIndex);
        change = new StakingChange
        {
            Released = total, ReleaseOwner = position.Owner,
            TouchesPosition = true, PositionId = position.Id, Position = position with { Settled = 0, Approvals = approvals },
        };
        return true;
    }

    /// <summary>Settled rewards plus everything accrued on each approval up to the candidates' current indexes.</summary>
    private static bool TrySettle(StakePositionRecord position, StakingOverlay staking, out ulong total, out CandidateRecord[] candidates,
        out TxRejection rejection)
    {
        total = position.Settled;
        candidates = new CandidateRecord[position.Approvals.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            var approval = position.Approvals[i];
            // Candidates are never removed, so an approval's candidate always exists.
            candidates[i] = staking.Candidate(approval.NodeKey)
                ?? throw new InvalidDataException($"position {position.Id} approves {approval.NodeKey}, which has no record");
            if (!RewardIndex.TryAccrued(position.Amount, approval.EntryIndex, candidates[i].RewardIndex, out ulong accrued)
                || ulong.MaxValue - total < accrued)
                return TxRules.Reject(LedgerErrors.Overflow, "accrued rewards over 2^64 - 1", out rejection);
            total += accrued;
        }
        rejection = default;
        return true;
    }
}
