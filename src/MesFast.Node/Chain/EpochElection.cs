using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>
/// The witness set of a new epoch (PROTOCOL §11.7): the top candidates with weight, then — while fewer than the
/// DEC target — the genesis witnesses in genesis order, so a chain without (enough) staked candidates keeps the
/// witnesses it started with and never loses liveness.
/// </summary>
internal static class EpochElection
{
    /// <summary>Candidates with weight &gt; 0 in rank order (weight descending, node key ascending), minus <paramref name="excluded"/>.</summary>
    public static WeightedCandidate[] RankedWithWeight(WeightedCandidate[] all, IReadOnlyCollection<Hash32>? excluded = null)
    {
        var kept = new List<WeightedCandidate>(all.Length);
        foreach (var c in all)
            if (c.Weight > 0 && (excluded is null || !Contains(excluded, c.NodeKey))) kept.Add(c);
        return Election.Rank(kept.ToArray());
    }

    /// <summary>
    /// Takes up to <paramref name="target"/> ranked candidates; if fewer, adds genesis witnesses not already taken;
    /// the result is cut to the largest 3f+1 it reaches. Elected candidates are paid at their owner address,
    /// genesis witnesses at their configured reward address.
    /// </summary>
    public static WitnessSet Elect(int target, WeightedCandidate[] ranked, GenesisWitness[] genesis, ICandidateSource source)
    {
        var keys = new List<Hash32>(target);
        var rewards = new List<Address>(target);
        for (int i = 0; i < ranked.Length && keys.Count < target; i++)
        {
            keys.Add(ranked[i].NodeKey);
            rewards.Add(source.OwnerOf(ranked[i].NodeKey));
        }
        for (int i = 0; i < genesis.Length && keys.Count < target; i++)
        {
            if (keys.Contains(genesis[i].PublicKey)) continue;
            keys.Add(genesis[i].PublicKey);
            rewards.Add(genesis[i].RewardAddress);
        }
        int size = Dec.FloorToBftSize(keys.Count);
        return new WitnessSet(keys.GetRange(0, size).ToArray(), rewards.GetRange(0, size).ToArray());
    }

    private static bool Contains(IReadOnlyCollection<Hash32> keys, in Hash32 key)
    {
        foreach (var k in keys)
            if (k == key) return true;
        return false;
    }
}
