using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// Collects verified votes of one (height, view, phase) lock-free: a fixed slot array indexed by witness and a
/// signer bitmap set with <see cref="Interlocked.Or(ref long, long)"/>. Invariants: a witness's bit is claimed
/// once (its first vote wins); only the claiming thread fills the slot and then increments the count, whose full
/// fence publishes the slot; so the single thread that sees the count reach the quorum sees every counted slot.
/// </summary>
public sealed class VoteAggregator
{
    private readonly Vote[] _slots;
    private readonly long[] _bitmap;
    private readonly int _quorum;
    private readonly Hash32[] _blocks;
    private int _count;

    public VoteAggregator(int witnesses, int quorum)
    {
        if (witnesses < 1 || witnesses > Core.ProtocolLimits.MaxWitnessCount) throw new ArgumentOutOfRangeException(nameof(witnesses));
        _slots = new Vote[witnesses];
        _blocks = new Hash32[witnesses];
        _bitmap = new long[(witnesses + 63) / 64];
        _quorum = quorum;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Adds a verified vote for <paramref name="block"/>. Returns <see cref="AddResult.ReachedQuorum"/> for exactly
    /// one caller; a second vote of the same witness is a duplicate (same block) or an equivocation (another block).
    /// Only votes for one block count: the aggregator of a (height, view, phase) is keyed by the proposal's hash.
    /// </summary>
    public AddResult Add(in Vote vote)
    {
        int w = vote.Witness;
        if ((uint)w >= (uint)_slots.Length) return AddResult.Rejected;
        long bit = 1L << (w & 63);
        ref long word = ref _bitmap[w >> 6];
        if ((Volatile.Read(ref word) & bit) != 0) return _blocks[w] == vote.Block ? AddResult.Duplicate : AddResult.Equivocation;
        long before = Interlocked.Or(ref word, bit);
        if ((before & bit) != 0) return AddResult.Duplicate;
        _slots[w] = vote;
        _blocks[w] = vote.Block;
        int count = Interlocked.Increment(ref _count);
        return count == _quorum ? AddResult.ReachedQuorum : AddResult.Added;
    }

    public bool HasVoted(int witness) => (Volatile.Read(ref _bitmap[witness >> 6]) & (1L << (witness & 63))) != 0;

    /// <summary>A commit certificate from the collected votes (call after the quorum was reached).</summary>
    public CommitCertificate ToCertificate(ulong height, uint view, in Hash32 block)
    {
        var signers = new bool[_slots.Length];
        var signatures = new List<Signature64>(_quorum);
        for (int w = 0; w < _slots.Length; w++)
        {
            if (!HasVoted(w) || _blocks[w] != block) continue;
            signers[w] = true;
            signatures.Add(_slots[w].Signature);
        }
        return new CommitCertificate { Height = height, View = view, Block = block, Signers = signers, Signatures = [.. signatures] };
    }

    public enum AddResult
    {
        Added,
        ReachedQuorum,
        Duplicate,
        Equivocation,
        Rejected,
    }
}
