using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Chain;
using MesFast.Node.Config;

namespace MesFast.Node.Tests.Chain;

/// <summary>The witness schedule fed with synthetic blocks (height, view, fullness, hash): PROTOCOL §11.7.</summary>
public sealed class WitnessScheduleTests
{
    private static readonly DposParams Rules = new() { EpochRounds = 2, MaxMissesPerEpoch = 2, MinWitnesses = 1, MaxWitnesses = 10 };

    private static Hash32 BlockHash(ulong height) => DomainHash.Compute(WitnessSet.HashDomain, BitConverter.GetBytes(height));

    /// <summary>Feeds blocks up to <paramref name="lastHeight"/>; <paramref name="viewOf"/> and <paramref name="fullnessOf"/> default to 0.</summary>
    private static void Feed(WitnessSchedule schedule, ulong lastHeight, ICandidateSource source, Func<ulong, uint>? viewOf = null, Func<ulong, int>? fullnessOf = null)
    {
        for (ulong h = schedule.AfterHeight + 1; h <= lastHeight; h++)
            schedule.AfterBlock(h, viewOf?.Invoke(h) ?? 0, fullnessOf?.Invoke(h) ?? 0, BlockHash(h), source);
    }

    private static string Describe(WitnessRound r) =>
        $"{r.Epoch}/{r.Round} [{r.Start},{r.End}) epoch [{r.EpochStart},{r.EpochEnd}) seed {r.EpochSeed} set {r.Set.Hash} order {string.Join(",", r.Order)} rewards {string.Join(",", r.Set.RewardAddresses)}";

    [Fact]
    public void Epoch_0_is_the_genesis_set_from_height_1_for_epochRounds_rounds_of_N_seeded_by_block_0()
    {
        var genesis = FakeCandidates.Genesis(4);
        var schedule = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        var round = schedule.Current;
        Assert.Equal((0u, 1UL, 9UL, 1UL, 5UL), (round.Epoch, round.EpochStart, round.EpochEnd, round.Start, round.End));
        Assert.Equal(new WitnessSet(genesis).Hash, round.Set.Hash);
        Assert.Equal(BlockHash(0), round.EpochSeed);
        Assert.Same(round, schedule.ForHeight(0));
        Assert.Null(schedule.ForHeight(5)); // the next round depends on blocks not final yet
        // Each witness proposes once per round (view 0); the order is the shuffle of the round.
        var slots = new HashSet<int>();
        for (ulong h = 1; h < 5; h++) slots.Add(round.Proposer(h, 0));
        Assert.Equal(4, slots.Count);
        var shuffled = ProposerOrder.Shuffle(round.Set.PublicKeys, BlockHash(0), 0);
        for (int s = 0; s < 4; s++) Assert.Equal(shuffled[s], round.Set.PublicKeys[round.Order[s]]);
    }

    [Fact]
    public void Rounds_and_epochs_follow_the_boundaries_and_the_next_seed_is_the_last_block_of_the_epoch()
    {
        var genesis = FakeCandidates.Genesis(4);
        var schedule = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        var none = new FakeCandidates();
        Feed(schedule, 4, none);
        Assert.Equal((0u, 1UL, 5UL), (schedule.Current.Epoch, schedule.Current.Round, schedule.Current.Start));
        Assert.NotNull(schedule.ForHeight(4)); // the previous round stays known (lastCommit of the next block)
        Feed(schedule, 8, none);
        var epoch1 = schedule.Current;
        // Idle epoch: DEC asks for 7, but with no candidates the genesis set (4) stays.
        Assert.Equal((1u, 0UL, 9UL, 17UL), (epoch1.Epoch, epoch1.Round, epoch1.Start, epoch1.EpochEnd));
        Assert.Equal(new WitnessSet(genesis).Hash, epoch1.Set.Hash);
        Assert.Equal(BlockHash(8), epoch1.EpochSeed);
    }

    [Fact]
    public void Two_independent_schedules_and_a_saved_and_reloaded_one_agree_at_every_height()
    {
        var genesis = FakeCandidates.Genesis(4);
        var source = new FakeCandidates();
        for (int i = 0; i < 9; i++)
        {
            var key = FakeCandidates.Key((byte)i);
            source.Set(key, (ulong)(100 + i * 7 % 5), FakeCandidates.AddressOf(key));
        }
        uint View(ulong h) => h % 5 == 0 ? 1u : 0u;
        int Fullness(ulong h) => (int)(h * 997 % 10_000);
        var a = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        var b = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        using var dir = new TempDirectory();
        WitnessSchedule? reloaded = null;
        for (ulong h = 1; h <= 200; h++)
        {
            Assert.Equal(a.ExpectedNextWitnessCount(h, Fullness(h)), b.ExpectedNextWitnessCount(h, Fullness(h)));
            Feed(a, h, source, View, Fullness);
            Feed(b, h, source, View, Fullness);
            if (reloaded is not null) Feed(reloaded, h, source, View, Fullness);
            if (h == 37)
            {
                WitnessScheduleFile.Write(dir.Path, a);
                reloaded = WitnessScheduleFile.Read(dir.Path, 37, genesis, Rules);
            }
            Assert.Equal(Describe(a.Current), Describe(b.Current));
            if (reloaded is not null) Assert.Equal(Describe(a.Current), Describe(reloaded.Current));
        }
        Assert.True(a.Current.Epoch >= 3);
    }

    [Fact]
    public void DEC_grows_N_when_idle_and_shrinks_it_when_congested()
    {
        var genesis = FakeCandidates.Genesis(4);
        var source = new FakeCandidates();
        for (int i = 0; i < 12; i++)
        {
            var key = FakeCandidates.Key((byte)(i + 1));
            source.Set(key, 1_000 - (ulong)i, FakeCandidates.AddressOf(key));
        }
        var schedule = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        // The last block of an idle epoch announces N + 3.
        Assert.Equal(4, schedule.ExpectedNextWitnessCount(1, 0));
        Feed(schedule, 7, source);
        Assert.Equal(7, schedule.ExpectedNextWitnessCount(8, 0));
        Feed(schedule, 8, source);
        Assert.Equal(7, schedule.Current.Set.Count);
        Assert.Equal(9UL + 2 * 7, schedule.Current.EpochEnd);
        // Elected in rank order: the 7 heaviest candidates (no genesis witness needed).
        var ranked = Election.Rank(source.CandidateWeights());
        for (int i = 0; i < 7; i++) Assert.Equal(ranked[i].NodeKey, schedule.Current.Set.PublicKeys[i]);
        Assert.Equal(FakeCandidates.AddressOf(ranked[0].NodeKey), schedule.Current.Set.RewardAddresses[0]);
        // Idle again: 10 (the maximum here).
        Feed(schedule, 22, source);
        Assert.Equal(10, schedule.Current.Set.Count);
        // Full blocks (mean above congestedBps): back to 7.
        Feed(schedule, schedule.Current.EpochEnd - 1, source, fullnessOf: _ => 9_000);
        Assert.Equal(7, schedule.Current.Set.Count);
        // Between the thresholds: unchanged.
        Feed(schedule, schedule.Current.EpochEnd - 1, source, fullnessOf: _ => 5_000);
        Assert.Equal(7, schedule.Current.Set.Count);
    }

    [Fact]
    public void Election_follows_stake_and_fills_up_with_genesis_witnesses()
    {
        var genesis = FakeCandidates.Genesis(4);
        var source = new FakeCandidates();
        var heavy = FakeCandidates.Key(1);
        var light = FakeCandidates.Key(2);
        var zero = FakeCandidates.Key(3);
        var owner = FakeCandidates.AddressOf(FakeCandidates.Key(9));
        source.Set(heavy, 500, owner);
        source.Set(light, 100, owner);
        source.Set(zero, 0, owner); // registered without weight: not elected
        var schedule = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        Feed(schedule, 8, source);
        var set = schedule.Current.Set;
        // Target 7: two candidates, then genesis witnesses in genesis order (the first four), cut to 4 (3f+1).
        Assert.Equal(new[] { heavy, light, genesis[0].PublicKey, genesis[1].PublicKey }, set.PublicKeys);
        Assert.Equal(new[] { owner, owner, genesis[0].RewardAddress, genesis[1].RewardAddress }, set.RewardAddresses);
        // More stake moves the light candidate up at the next epoch.
        source.Set(light, 900, owner);
        Feed(schedule, schedule.Current.EpochEnd - 1, source);
        Assert.Equal(light, schedule.Current.Set.PublicKeys[0]);
        Assert.Equal(heavy, schedule.Current.Set.PublicKeys[1]);
    }

    [Fact]
    public void A_silent_witness_is_evicted_after_M_misses_at_the_next_round_boundary_and_the_next_ranked_candidate_steps_in()
    {
        var genesis = FakeCandidates.Genesis(4);
        var source = new FakeCandidates();
        var standIn = FakeCandidates.Key(5);
        var second = FakeCandidates.Key(6);
        source.Set(standIn, 50, FakeCandidates.AddressOf(standIn));
        source.Set(second, 40, FakeCandidates.AddressOf(second));
        var rules = Rules with { EpochRounds = 10 };
        var schedule = WitnessSchedule.AtGenesis(genesis, rules, BlockHash(0));
        int silent = schedule.Current.Order[0]; // the witness of slot 0 in round 0
        var silentKey = genesis[silent].PublicKey;
        // Each block whose view-0 proposer is the silent witness is final at view 1: one miss for it.
        uint View(ulong h)
        {
            var round = schedule.ForHeight(h)!;
            int i = round.Set.IndexOf(silentKey);
            return i >= 0 && round.Proposer(h, 0) == i ? 1u : 0u;
        }
        Feed(schedule, 4, source, View); // round 0: one miss
        Assert.Equal(silentKey, schedule.Current.Set.PublicKeys[silent]);
        Feed(schedule, 8, source, View); // round 1: the second miss (M = 2) → evicted at the boundary
        var set = schedule.Current.Set;
        Assert.Equal(-1, set.IndexOf(silentKey));
        Assert.Equal(standIn, set.PublicKeys[silent]); // in the evicted witness's position
        Assert.Equal(FakeCandidates.AddressOf(standIn), set.RewardAddresses[silent]);
        Assert.Equal(4, set.Count);
        for (int i = 0; i < 4; i++) if (i != silent) Assert.Equal(genesis[i].PublicKey, set.PublicKeys[i]);
        // The set hash changes with the round; the rest of the epoch keeps the stand-in.
        Feed(schedule, 20, source);
        Assert.Equal(standIn, schedule.Current.Set.PublicKeys[silent]);
    }

    [Fact]
    public void Without_a_stand_in_the_silent_witness_stays()
    {
        var genesis = FakeCandidates.Genesis(4);
        var schedule = WitnessSchedule.AtGenesis(genesis, Rules, BlockHash(0));
        Feed(schedule, 8, new FakeCandidates(), _ => 5); // every height final at view 5: everybody misses
        Assert.Equal(new WitnessSet(genesis).Hash, schedule.Current.Set.Hash);
    }

    [Fact]
    public void One_genesis_witness_stays_the_only_witness_forever()
    {
        var genesis = FakeCandidates.Genesis(1);
        var schedule = WitnessSchedule.AtGenesis(genesis, DposParams.Default, BlockHash(0));
        Feed(schedule, 100, new FakeCandidates());
        Assert.Equal(10u, schedule.Current.Epoch);
        Assert.Equal(new WitnessSet(genesis).Hash, schedule.Current.Set.Hash);
        Assert.Equal(0, schedule.Current.Proposer(101, 0));
        Assert.Equal(1, schedule.ExpectedNextWitnessCount(101, 0));
    }
}

/// <summary>The schedule file saved with each state checkpoint.</summary>
public sealed class WitnessScheduleFileTests
{
    [Fact]
    public void A_missing_schedule_file_is_a_clear_error_and_only_the_newest_three_are_kept()
    {
        var genesis = FakeCandidates.Genesis(1);
        var schedule = WitnessSchedule.AtGenesis(genesis, DposParams.Default, Hash32.Zero);
        using var dir = new TempDirectory();
        var error = Assert.Throws<InvalidDataException>(() => WitnessScheduleFile.Read(dir.Path, 0, genesis, DposParams.Default));
        Assert.Contains("resync", error.Message, StringComparison.Ordinal);
        var source = new FakeCandidates();
        for (ulong h = 1; h <= 5; h++)
        {
            schedule.AfterBlock(h, 0, 0, Hash32.Zero, source);
            WitnessScheduleFile.Write(dir.Path, schedule);
        }
        Assert.Equal(3, Directory.GetFiles(dir.Path, "schedule-*.bin").Length);
        Assert.Equal(5UL, WitnessScheduleFile.Read(dir.Path, 5, genesis, DposParams.Default).AfterHeight);
        File.WriteAllBytes(WitnessScheduleFile.PathOf(dir.Path, 4), [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => WitnessScheduleFile.Read(dir.Path, 4, genesis, DposParams.Default));
    }
}
