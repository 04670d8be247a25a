using MesFast.Core.Dpos;
using MesFast.Core.Ledger.Staking;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

/// <summary>Election, DEC, proposer order, missed slots and the reward split as pure functions.</summary>
public sealed class DposFunctionTests
{
    private static Hash32 Key(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    [Fact]
    public void Election_takes_the_heaviest_and_breaks_ties_by_key_bytes()
    {
        WeightedCandidate[] candidates = [new(Key(5), 10), new(Key(3), 30), new(Key(9), 30), new(Key(1), 10), new(Key(7), 0)];
        Assert.Equal([Key(3), Key(9), Key(1)], Election.TopN(candidates, 3));
        Assert.Equal(5, Election.TopN(candidates, 100).Length);
        Assert.Empty(Election.TopN(candidates, 0));
        Assert.Equal([Key(3), Key(9), Key(1), Key(5), Key(7)], Election.Rank(candidates).Select(c => c.NodeKey));
        // An epoch's set is 3f+1 sized: 5 candidates, N = 7 → 4.
        Assert.Equal([Key(3), Key(9), Key(1), Key(5)], Election.ElectBftSet(candidates, 7));
        Assert.Equal([Key(3)], Election.ElectBftSet(candidates, 3));
        Assert.Empty(Election.ElectBftSet([], 4));
    }

    [Fact]
    public void Dec_shrinks_under_full_blocks_grows_when_idle_and_stays_3f_plus_1_within_bounds()
    {
        var rules = new DposParams { MinWitnesses = 4, MaxWitnesses = 22, IdleBps = 2_000, CongestedBps = 8_000 };
        int n = 13;
        var seen = new List<int>();
        for (int epoch = 0; epoch < 10; epoch++) seen.Add(n = Dec.NextWitnessCount(n, 9_500, rules));
        Assert.Equal([10, 7, 4, 4, 4, 4, 4, 4, 4, 4], seen);
        seen.Clear();
        for (int epoch = 0; epoch < 10; epoch++) seen.Add(n = Dec.NextWitnessCount(n, 100, rules));
        Assert.Equal([7, 10, 13, 16, 19, 22, 22, 22, 22, 22], seen);
        Assert.Equal(22, Dec.NextWitnessCount(22, 5_000, rules)); // between the thresholds: unchanged
        Assert.Equal(22, Dec.NextWitnessCount(22, 8_000, rules)); // at a threshold: unchanged (strict comparisons)

        var random = new Random(TestSeeds.Get(4201));
        for (int i = 0; i < 10_000; i++)
        {
            int next = Dec.NextWitnessCount(random.Next(-5, 200), random.Next(0, 10_001), rules);
            Assert.True(DposParams.IsBftSize(next) && next >= 4 && next <= 22, $"{next}");
        }
        Assert.Equal(7, Dec.FloorToBftSize(9));
        Assert.Equal(1, Dec.FloorToBftSize(0));
    }

    [Fact]
    public void Fullness_is_the_larger_share_of_the_byte_and_count_limits()
    {
        Assert.Equal(5_000, Dec.FullnessBps(ProtocolLimits.MaxBlockBytes / 2, 10));
        Assert.Equal(10_000, Dec.FullnessBps(100, ProtocolLimits.MaxBlockTxs));
        Assert.Equal(0, Dec.FullnessBps(0, 0));
        Assert.Equal(2_500, Dec.MeanFullnessBps([0, 5_000, 5_000, 0]));
        Assert.Equal(0, Dec.MeanFullnessBps([]));
    }

    [Fact]
    public void Shuffle_is_a_deterministic_permutation_per_seed_and_round()
    {
        var elected = Enumerable.Range(1, 21).Select(i => Key((byte)i)).ToArray();
        var seed = Key(0xab);
        var a = ProposerOrder.Shuffle(elected, seed, 3);
        Assert.Equal(a, ProposerOrder.Shuffle(elected, seed, 3));
        Assert.Equal(elected.OrderBy(k => k.ToString()), a.OrderBy(k => k.ToString()));
        Assert.NotEqual(a, ProposerOrder.Shuffle(elected, seed, 4));
        Assert.NotEqual(a, ProposerOrder.Shuffle(elected, Key(0xac), 3));
        Assert.Empty(ProposerOrder.Shuffle([], seed, 0));
        Assert.Equal([Key(1)], ProposerOrder.Shuffle([Key(1)], seed, 0));
    }

    [Fact]
    public void Shuffle_is_roughly_uniform_over_many_seeds()
    {
        // Position of each of 4 witnesses over 24,000 rounds: each (witness, position) cell expects 6,000.
        const int n = 4, rounds = 24_000;
        var elected = Enumerable.Range(0, n).Select(i => Key((byte)i)).ToArray();
        var counts = new int[n, n];
        var seed = Key(0x5e);
        for (int r = 0; r < rounds; r++)
        {
            var order = ProposerOrder.Shuffle(elected, seed, (ulong)r);
            for (int p = 0; p < n; p++) counts[order[p].Span[0], p]++;
        }
        double expected = rounds / (double)n, chi2 = 0;
        for (int w = 0; w < n; w++)
            for (int p = 0; p < n; p++) chi2 += Math.Pow(counts[w, p] - expected, 2) / expected;
        // 9 degrees of freedom: P(χ² > 33.7) ≈ 10^-4.
        Assert.True(chi2 < 33.7, $"chi-square {chi2:F1}");

        // All 24 permutations of 4 appear about equally (1,000 each).
        var perms = new Dictionary<string, int>();
        for (int r = 0; r < rounds; r++)
        {
            string id = string.Concat(ProposerOrder.Shuffle(elected, seed, (ulong)r).Select(k => k.Span[0]));
            perms[id] = perms.GetValueOrDefault(id) + 1;
        }
        Assert.Equal(24, perms.Count);
        Assert.All(perms.Values, c => Assert.InRange(c, 850, 1_150));
    }

    [Fact]
    public void Slot_is_height_plus_view_mod_n()
    {
        Assert.Equal(0, ProposerOrder.Slot(0, 0, 4));
        Assert.Equal(3, ProposerOrder.Slot(5, 2, 4));
        Assert.Equal((int)((ulong.MaxValue % 7 + uint.MaxValue % 7) % 7), ProposerOrder.Slot(ulong.MaxValue, uint.MaxValue, 7));
    }

    [Fact]
    public void Missed_slots_count_every_view_that_passed_and_evict_after_M()
    {
        int[] order = [2, 0, 3, 1]; // slot → witness index
        var misses = new int[4];
        MissedSlots.Record(misses, order, height: 5, view: 0);
        Assert.Equal([0, 0, 0, 0], misses);
        MissedSlots.Record(misses, order, height: 5, view: 2); // slots 1, 2 passed: witnesses 0 and 3
        Assert.Equal([1, 0, 0, 1], misses);
        MissedSlots.Record(misses, order, height: 6, view: 9); // 9 = 2 full rounds + slot 6 mod 4 = 2 (witness 3)
        Assert.Equal([3, 2, 2, 4], misses);

        Hash32[] witnesses = [Key(10), Key(11), Key(12), Key(13)];
        var ranked = Election.Rank([new(Key(10), 90), new(Key(11), 80), new(Key(12), 70), new(Key(13), 60), new(Key(20), 50), new(Key(21), 40)]);
        Assert.Equal([Key(10), Key(11), Key(12), Key(20)], MissedSlots.Evict(witnesses, misses, maxMisses: 4, ranked));
        Assert.Equal([Key(20), Key(11), Key(12), Key(21)], MissedSlots.Evict(witnesses, misses, maxMisses: 3, ranked));
        // Everyone has ≥ 2 misses but only two candidates can step in: the later witnesses stay.
        Assert.Equal([Key(20), Key(21), Key(12), Key(13)], MissedSlots.Evict(witnesses, misses, maxMisses: 2, ranked));
        Assert.Equal(witnesses, MissedSlots.Evict(witnesses, misses, maxMisses: 5, ranked));
    }

    [Fact]
    public void Reward_split_conserves_every_unit()
    {
        var random = new Random(TestSeeds.Get(4202));
        for (int i = 0; i < 10_000; i++)
        {
            ulong reward = (ulong)random.NextInt64() * (ulong)random.Next(1, 3);
            int signers = random.Next(0, 50);
            var split = RewardSplit.Compute(reward, random.Next(0, 10_001), signers, random.Next(0, 10_001), (ulong)random.Next(0, 3));
            Assert.Equal((UInt128)reward, (UInt128)split.Proposer + (UInt128)split.PerSigner * (ulong)signers + split.Voters);
        }
        Assert.Equal(new RewardSplit(1_000, 0, 0), RewardSplit.Compute(1_000, 1_000, 0, 5_000, 0));
        Assert.Equal(new RewardSplit(451, 33, 450), RewardSplit.Compute(1_000, 1_000, 3, 5_000, 10));
    }

    [Fact]
    public void Reward_index_math_is_exact()
    {
        var index = RewardIndex.Increment(500, 4_000);
        Assert.True(RewardIndex.TryAccrued(1_000, 0, index, out ulong a));
        Assert.Equal(125UL, a);
        Assert.True(RewardIndex.TryAccrued(ulong.MaxValue, 0, RewardIndex.Increment(ulong.MaxValue, ulong.MaxValue), out a));
        Assert.Equal(ulong.MaxValue, a);
        Assert.False(RewardIndex.TryAccrued(ulong.MaxValue, 0, RewardIndex.Increment(ulong.MaxValue, 1), out _));
    }

    [Fact]
    public void Genesis_parameters_validate()
    {
        Assert.True(DposParams.Default.TryValidate(out _, out _));
        Assert.False((DposParams.Default with { MinWitnesses = 5 }).TryValidate(out string field, out _));
        Assert.Equal("minWitnesses", field);
        Assert.False((DposParams.Default with { IdleBps = 9_000 }).TryValidate(out field, out _));
        Assert.Equal("idleBps", field);
        Assert.False((DposParams.Default with { MaxWitnesses = 1_027 }).TryValidate(out field, out _));
        Assert.Equal("maxWitnesses", field);
        Assert.False((DposParams.Default with { LastCommitShareBps = 10_001 }).TryValidate(out field, out _));
        Assert.Equal("lastCommitShareBps", field);
    }
}
