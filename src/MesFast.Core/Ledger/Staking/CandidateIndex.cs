using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// All candidate records in memory (derived data like the address index: rebuilt from the shard stores on open,
/// kept in step with every applied or reverted block), so an election need not scan the stores. Thread-safe.
/// </summary>
internal sealed class CandidateIndex
{
    private readonly Dictionary<Hash32, CandidateRecord> _byKey = [];
    private readonly Lock _lock = new();

    /// <summary>Sets (value not null) or removes a candidate from its stored key and value.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var nodeKey = new Hash32(key[1..]);
        var record = value.IsEmpty ? null : CandidateRecord.DecodeValue(nodeKey, value);
        lock (_lock)
        {
            if (record is null) _byKey.Remove(nodeKey);
            else _byKey[nodeKey] = record;
        }
    }

    public void Remove(ReadOnlySpan<byte> key)
    {
        var nodeKey = new Hash32(key[1..]);
        lock (_lock) _byKey.Remove(nodeKey);
    }

    /// <summary>A snapshot of every candidate, sorted by node key.</summary>
    public CandidateRecord[] Snapshot()
    {
        CandidateRecord[] all;
        lock (_lock) all = [.. _byKey.Values];
        Array.Sort(all, static (a, b) => a.NodeKey.Span.SequenceCompareTo(b.NodeKey.Span));
        return all;
    }
}
