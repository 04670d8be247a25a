using MesFast.Crypto;

namespace MesFast.Core.Dpos;

/// <summary>
/// Missed proposer slots and eviction (DESIGN §5). A block of height h finalised at view v means the proposers of
/// views 0 … v−1 at h let their slot pass: each of them is counted one miss. The counts come from the headers'
/// (height, view) alone, so every node derives the same numbers from the chain.
/// </summary>
public static class MissedSlots
{
    /// <summary>
    /// Adds the misses of one final block to <paramref name="misses"/> (indexed like the round's
    /// <paramref name="order"/>, which holds witness indexes per slot). O(N) however large the view.
    /// </summary>
    public static void Record(Span<int> misses, ReadOnlySpan<int> order, ulong height, uint view)
    {
        int n = order.Length;
        if (n == 0 || view == 0) return;
        // Views 0 … v−1 visit slots (h + v') mod n: every slot v / n times, then v mod n more slots from h mod n.
        int full = (int)Math.Min(int.MaxValue / 2, view / (ulong)n);
        int rest = (int)(view % (ulong)n);
        if (full > 0)
            for (int s = 0; s < n; s++) misses[order[s]] = SaturatingAdd(misses[order[s]], full);
        int start = (int)(height % (ulong)n);
        for (int k = 0; k < rest; k++)
        {
            int w = order[(start + k) % n];
            misses[w] = SaturatingAdd(misses[w], 1);
        }
    }

    /// <summary>
    /// The witness set after evictions at a round boundary: every witness with at least <paramref name="maxMisses"/>
    /// misses this epoch is replaced, in its position, by the best-ranked candidate that is not in the set (nor was
    /// evicted). A witness stays when no candidate is left to step in, so N keeps its 3f+1 size.
    /// </summary>
    /// <param name="ranked">all candidates in rank order (<see cref="Election.Rank"/>).</param>
    public static Hash32[] Evict(ReadOnlySpan<Hash32> witnesses, ReadOnlySpan<int> misses, int maxMisses, ReadOnlySpan<WeightedCandidate> ranked)
    {
        var next = witnesses.ToArray();
        int cursor = 0;
        for (int i = 0; i < next.Length; i++)
        {
            if (misses[i] < maxMisses) continue;
            while (cursor < ranked.Length && Contains(witnesses, ranked[cursor].NodeKey)) cursor++;
            if (cursor == ranked.Length) break;
            next[i] = ranked[cursor++].NodeKey;
        }
        return next;
    }

    private static bool Contains(ReadOnlySpan<Hash32> set, in Hash32 key)
    {
        foreach (var k in set)
            if (k == key) return true;
        return false;
    }

    private static int SaturatingAdd(int a, int b) => a > int.MaxValue - b ? int.MaxValue : a + b;
}
