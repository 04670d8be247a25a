using MesFast.Crypto;

namespace MesFast.Core.Dpos;

/// <summary>A registered candidate as the election sees it: its node key and its approval weight.</summary>
public readonly record struct WeightedCandidate(Hash32 NodeKey, ulong Weight);

/// <summary>Election at an epoch boundary (DESIGN §5): the top N candidates by weight, ties by node-key bytes.</summary>
public static class Election
{
    /// <summary>All candidates in rank order: weight descending, then node key ascending (bytewise).</summary>
    public static WeightedCandidate[] Rank(ReadOnlySpan<WeightedCandidate> candidates)
    {
        var ranked = candidates.ToArray();
        Array.Sort(ranked, CompareRank);
        return ranked;
    }

    /// <summary>The node keys of the first <paramref name="n"/> candidates in rank order (fewer when fewer exist).</summary>
    public static Hash32[] TopN(ReadOnlySpan<WeightedCandidate> candidates, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var ranked = Rank(candidates);
        var top = new Hash32[Math.Min(n, ranked.Length)];
        for (int i = 0; i < top.Length; i++) top[i] = ranked[i].NodeKey;
        return top;
    }

    /// <summary>
    /// The witness set of an epoch: the top <c>N'</c> in rank order, where <c>N'</c> is the largest 3f+1 not above
    /// <paramref name="n"/> nor the number of candidates (empty when there are none), so a quorum is always defined.
    /// </summary>
    public static Hash32[] ElectBftSet(ReadOnlySpan<WeightedCandidate> candidates, int n) =>
        candidates.IsEmpty || n < 1 ? [] : TopN(candidates, Dec.FloorToBftSize(Math.Min(n, candidates.Length)));

    /// <summary>Rank order: heavier first; equal weights by node key ascending (keys are unique, so the order is total).</summary>
    public static int CompareRank(WeightedCandidate a, WeightedCandidate b) =>
        a.Weight != b.Weight ? b.Weight.CompareTo(a.Weight) : a.NodeKey.Span.SequenceCompareTo(b.NodeKey.Span);
}
