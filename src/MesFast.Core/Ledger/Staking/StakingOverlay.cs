using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// Staking records as seen inside one block (or one mempool check): committed records plus the changes of the
/// transactions before. At the end of a block <see cref="CollectOps"/> turns the net change of every touched record
/// into one <see cref="LedgerOpKind.PutRecord"/> op (old → new value), so revert restores it exactly.
/// </summary>
internal sealed class StakingOverlay(IStakingRecords committed)
{
    private readonly Dictionary<Hash32, (CandidateRecord? Original, CandidateRecord? Current)> _candidates = [];
    private readonly Dictionary<Hash32, (StakePositionRecord? Original, StakePositionRecord? Current)> _positions = [];

    public CandidateRecord? Candidate(in Hash32 nodeKey)
    {
        if (_candidates.TryGetValue(nodeKey, out var entry)) return entry.Current;
        var record = committed.ReadCandidate(nodeKey);
        _candidates[nodeKey] = (record, record);
        return record;
    }

    public void SetCandidate(CandidateRecord record)
    {
        var original = _candidates.TryGetValue(record.NodeKey, out var entry) ? entry.Original : committed.ReadCandidate(record.NodeKey);
        _candidates[record.NodeKey] = (original, record);
    }

    public StakePositionRecord? Position(in Hash32 id)
    {
        if (_positions.TryGetValue(id, out var entry)) return entry.Current;
        var record = committed.ReadPosition(id);
        _positions[id] = (record, record);
        return record;
    }

    /// <summary>Sets or (with null) deletes a position.</summary>
    public void SetPosition(in Hash32 id, StakePositionRecord? record)
    {
        var original = _positions.TryGetValue(id, out var entry) ? entry.Original : committed.ReadPosition(id);
        _positions[id] = (original, record);
    }

    /// <summary>Appends one op per record whose value changed, in key order (deterministic, though order within a block does not matter: one op per key).</summary>
    public void CollectOps(List<LedgerOp> ops)
    {
        var changes = new List<ModuleRecordChange>();
        foreach (var (key, (original, current)) in _candidates)
            Add(changes, RecordKeys.CandidateType, key, original?.EncodeValue(), current?.EncodeValue());
        foreach (var (key, (original, current)) in _positions)
            Add(changes, RecordKeys.StakeType, key, original?.EncodeValue(), current?.EncodeValue());
        changes.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        foreach (var change in changes) ops.Add(new LedgerOp(LedgerOpKind.PutRecord, -1, default, default, null, change));
    }

    private static void Add(List<ModuleRecordChange> changes, byte type, in Hash32 id, byte[]? old, byte[]? now)
    {
        if (old is null && now is null) return;
        if (old is not null && now is not null && old.AsSpan().SequenceEqual(now)) return;
        changes.Add(new ModuleRecordChange(RecordKeys.ModuleKey(type, id), old, now));
    }
}
