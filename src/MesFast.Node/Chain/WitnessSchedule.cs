using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>
/// Who may propose and sign at each height (PROTOCOL §11.7), derived from chain data only so every node computes
/// the same schedule. Epoch 0 starts at height 1 with the genesis witnesses and the genesis block's hash as seed;
/// epoch e lasts <c>epochRounds</c> rounds of N_e heights. At each epoch boundary DEC sets the target count, the
/// election (with genesis fill-in) sets the witnesses and the seed becomes the hash of the epoch's last block; at
/// each round boundary witnesses with M misses are evicted and the order is reshuffled.
/// <para>The chain thread feeds every applied block to <see cref="AfterBlock"/>; any thread may call
/// <see cref="ForHeight"/>, which knows the current and the previous round (later rounds depend on blocks not yet final).</para>
/// </summary>
internal sealed class WitnessSchedule
{
    private readonly GenesisWitness[] _genesis;
    private readonly DposParams _rules;
    private readonly List<Hash32> _evicted = [];
    private int[] _misses;
    private long _fullnessSum;
    private int _fullnessBlocks;
    private volatile Known _known;

    /// <summary>The rounds network threads may see: the one in force after the tip and the one before it.</summary>
    private sealed record Known(WitnessRound Current, WitnessRound? Previous, ulong AfterHeight);

    private WitnessSchedule(GenesisWitness[] genesis, DposParams rules, Known known, int[] misses, long fullnessSum, int fullnessBlocks)
    {
        _genesis = genesis;
        _rules = rules;
        _known = known;
        _misses = misses;
        _fullnessSum = fullnessSum;
        _fullnessBlocks = fullnessBlocks;
    }

    /// <summary>The schedule right after block 0: epoch 0, round 0, the genesis witnesses, seeded by block 0's hash.</summary>
    public static WitnessSchedule AtGenesis(GenesisWitness[] genesis, DposParams rules, in Hash32 genesisHash)
    {
        var set = new WitnessSet(genesis);
        var round = new WitnessRound(0, 1, 1 + (ulong)rules.EpochRounds * (ulong)set.Count, 0, genesisHash, set);
        return new WitnessSchedule(genesis, rules, new Known(round, null, 0), new int[set.Count], 0, 0);
    }

    /// <summary>The round in force at the first height not yet final.</summary>
    public WitnessRound Current => _known.Current;

    /// <summary>Height of the last block fed to the schedule.</summary>
    public ulong AfterHeight => _known.AfterHeight;

    /// <summary>
    /// The round of <paramref name="height"/>, or null when it is not known (a later round, or a round before the
    /// previous one). Height 0 (the genesis block, never proposed) belongs to the genesis set of epoch 0.
    /// </summary>
    public WitnessRound? ForHeight(ulong height)
    {
        Known known = _known;
        if (known.Current.Contains(height)) return known.Current;
        if (known.Previous is { } previous && previous.Contains(height)) return previous;
        if (height == 0 && known.Current.Epoch == 0 && known.Current.Round == 0) return known.Current;
        return null;
    }

    /// <summary>
    /// The <c>nextWitnessCount</c> a block at <paramref name="height"/> (in the current round) must carry: on an
    /// epoch's last height the DEC result over the epoch's blocks including this one, else the current N.
    /// </summary>
    public int ExpectedNextWitnessCount(ulong height, int fullnessBps)
    {
        var round = _known.Current;
        if (height + 1 != round.EpochEnd) return round.Set.Count;
        int mean = (int)((_fullnessSum + fullnessBps) / (_fullnessBlocks + 1));
        return Dec.NextWitnessCount(round.Set.Count, mean, _rules);
    }

    /// <summary>
    /// Chain thread, after block <paramref name="height"/> (≥ 1, in the current round) is applied to the state:
    /// records its misses and fullness and, when the next height starts a round or an epoch, computes that round
    /// from the state (<paramref name="source"/> must reflect the state after this block).
    /// </summary>
    public void AfterBlock(ulong height, uint view, int fullnessBps, in Hash32 blockHash, ICandidateSource source)
    {
        Known known = _known;
        var round = known.Current;
        if (!round.Contains(height)) throw new InvalidOperationException($"block {height} is outside the current round [{round.Start}, {round.End})");
        MissedSlots.Record(_misses, round.Order, height, view);
        _fullnessSum += fullnessBps;
        _fullnessBlocks++;
        ulong next = height + 1;
        WitnessRound nextRound;
        if (next == round.EpochEnd) nextRound = StartEpoch(round, blockHash, source);
        else if (next == round.End) nextRound = NextRound(round, source);
        else
        {
            _known = known with { AfterHeight = height };
            return;
        }
        _known = new Known(nextRound, round, height);
    }

    private WitnessRound StartEpoch(WitnessRound last, in Hash32 lastBlockHash, ICandidateSource source)
    {
        int mean = (int)(_fullnessSum / Math.Max(1, _fullnessBlocks));
        int target = Dec.NextWitnessCount(last.Set.Count, mean, _rules);
        var set = EpochElection.Elect(target, EpochElection.RankedWithWeight(source.CandidateWeights()), _genesis, source);
        _misses = new int[set.Count];
        _fullnessSum = 0;
        _fullnessBlocks = 0;
        _evicted.Clear();
        ulong start = last.EpochEnd;
        return new WitnessRound(last.Epoch + 1, start, start + (ulong)_rules.EpochRounds * (ulong)set.Count, 0, lastBlockHash, set);
    }

    private WitnessRound NextRound(WitnessRound last, ICandidateSource source)
    {
        var set = last.Set;
        bool anyOver = false;
        foreach (int m in _misses) anyOver |= m >= _rules.MaxMissesPerEpoch;
        if (anyOver)
        {
            // Evicted witnesses may not step back in during the epoch.
            var ranked = EpochElection.RankedWithWeight(source.CandidateWeights(), _evicted);
            var keys = MissedSlots.Evict(set.PublicKeys, _misses, _rules.MaxMissesPerEpoch, ranked);
            var rewards = (Address[])set.RewardAddresses.Clone();
            bool changed = false;
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] == set.PublicKeys[i]) continue;
                _evicted.Add(set.PublicKeys[i]);
                rewards[i] = source.OwnerOf(keys[i]);
                _misses[i] = 0;
                changed = true;
            }
            if (changed) set = new WitnessSet(keys, rewards);
        }
        return new WitnessRound(last.Epoch, last.EpochStart, last.EpochEnd, last.Round + 1, last.EpochSeed, set);
    }

    /// <summary>The running state for a snapshot file (see <see cref="WitnessScheduleFile"/>).</summary>
    internal (WitnessRound Current, WitnessRound? Previous, ulong AfterHeight, int[] Misses, long FullnessSum, int FullnessBlocks, Hash32[] Evicted) State
    {
        get
        {
            Known known = _known;
            return (known.Current, known.Previous, known.AfterHeight, (int[])_misses.Clone(), _fullnessSum, _fullnessBlocks, [.. _evicted]);
        }
    }

    internal static WitnessSchedule FromState(GenesisWitness[] genesis, DposParams rules, WitnessRound current, WitnessRound? previous, ulong afterHeight,
        int[] misses, long fullnessSum, int fullnessBlocks, Hash32[] evicted)
    {
        var schedule = new WitnessSchedule(genesis, rules, new Known(current, previous, afterHeight), misses, fullnessSum, fullnessBlocks);
        schedule._evicted.AddRange(evicted);
        return schedule;
    }
}
