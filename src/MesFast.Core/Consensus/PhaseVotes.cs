using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// Verified votes of one (height, view, phase), one <see cref="VoteAggregator"/> per block. A witness's first vote in
/// the phase counts; a later vote for another block is equivocation evidence and does not count.
/// </summary>
internal sealed class PhaseVotes
{
    private readonly int _witnesses;
    private readonly int _quorum;
    private readonly bool[] _voted;
    private readonly Hash32[] _firstBlock;
    private readonly Dictionary<Hash32, VoteAggregator> _byBlock = [];

    public PhaseVotes(int witnesses, int quorum)
    {
        _witnesses = witnesses;
        _quorum = quorum;
        _voted = new bool[witnesses];
        _firstBlock = new Hash32[witnesses];
    }

    public VoteAggregator.AddResult Add(in Vote vote)
    {
        int w = vote.Witness;
        if ((uint)w >= (uint)_witnesses) return VoteAggregator.AddResult.Rejected;
        if (_voted[w]) return _firstBlock[w] == vote.Block ? VoteAggregator.AddResult.Duplicate : VoteAggregator.AddResult.Equivocation;
        _voted[w] = true;
        _firstBlock[w] = vote.Block;
        if (!_byBlock.TryGetValue(vote.Block, out var aggregator)) _byBlock[vote.Block] = aggregator = new VoteAggregator(_witnesses, _quorum);
        return aggregator.Add(vote);
    }

    /// <summary>Witnesses that voted in this phase (for any block), in index order; for diagnostics.</summary>
    public int[] Voters()
    {
        var voters = new List<int>(_witnesses);
        for (int w = 0; w < _witnesses; w++)
            if (_voted[w]) voters.Add(w);
        return voters.ToArray();
    }

    /// <summary>The votes for <paramref name="block"/>, or null when there are none.</summary>
    public VoteAggregator? For(in Hash32 block) => _byBlock.GetValueOrDefault(block);
}
