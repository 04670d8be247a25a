using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Tests.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

public sealed class StakingFlowTests
{
    [Fact]
    public void Registration_stores_the_candidate_and_locks_the_bond()
    {
        var s = new StakingHarness();
        var (owner, node) = (s.Keys[0], new TestKey());
        var tx = s.Register(owner, node, 2_000_000, voterShareBps: 2_500);
        ulong before = s.Ledger.GetBalance(owner.Address, Hash32.Zero);
        var result = s.Apply(tx);
        Assert.Equal(before - 2_000_000 - result.Fees, s.Ledger.GetBalance(owner.Address, Hash32.Zero));
        Assert.True(s.Ledger.TryGetCandidate(StakingHarness.NodeKeyOf(node), out var candidate));
        Assert.Equal((owner.Address, 2_000_000UL, 0UL, (ushort)2_500, "Studio Witness", "node.example:7000"),
            (candidate!.Owner, candidate.Bond, candidate.Weight, candidate.VoterShareBps, candidate.Name, candidate.Endpoint));

        // Re-registration by the owner updates the profile and tops up the bond.
        s.Apply(s.Register(owner, node, 500, voterShareBps: 100, name: "Renamed"));
        s.Ledger.TryGetCandidate(StakingHarness.NodeKeyOf(node), out candidate);
        Assert.Equal((2_000_500UL, (ushort)100, "Renamed"), (candidate!.Bond, candidate.VoterShareBps, candidate.Name));
        Assert.Single(s.Ledger.GetCandidates());
        s.AssertRootsMatchStores();
    }

    [Fact]
    public void Election_follows_stake_and_unstake_drops_weight_at_once()
    {
        var s = new StakingHarness();
        var nodes = new[] { new TestKey(), new TestKey(), new TestKey() };
        s.Apply(s.Register(s.Keys[0], nodes[0], 1_000_000), s.Register(s.Keys[1], nodes[1], 1_000_000), s.Register(s.Keys[2], nodes[2], 1_000_000));
        // No stake yet: all weights 0, ranked by key bytes.
        var byKey = nodes.Select(StakingHarness.NodeKeyOf).OrderBy(k => k.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(byKey[..2], s.Ledger.ElectWitnesses(2));

        var stakeAB = s.Stake(s.Keys[3], 100, nodes[0], nodes[1]);
        var stakeC = s.Stake(s.Keys[0], 150, nodes[2]);
        s.Apply(stakeAB, stakeC);
        Assert.Equal(100UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(nodes[0]))!.Weight);
        Assert.Equal(150UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(nodes[2]))!.Weight);
        var top = s.Ledger.ElectWitnesses(2);
        Assert.Equal(StakingHarness.NodeKeyOf(nodes[2]), top[0]);
        Assert.Equal(StakingHarness.NodeKeyOf(nodes[0]).ToString().CompareTo(StakingHarness.NodeKeyOf(nodes[1]).ToString()) < 0
            ? StakingHarness.NodeKeyOf(nodes[0]) : StakingHarness.NodeKeyOf(nodes[1]), top[1]);

        var position = stakeAB.ComputeTxId();
        Assert.True(s.Ledger.TryGetStakePosition(position, out var p));
        Assert.Equal((s.Keys[3].Address, 100UL, 2), (p!.Owner, p.Amount, p.Approvals.Length));

        s.Apply(s.Unstake(s.Keys[3], position));
        Assert.Equal(0UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(nodes[0]))!.Weight);
        Assert.Equal(0UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(nodes[1]))!.Weight);
        Assert.Equal([StakingHarness.NodeKeyOf(nodes[2])], s.Ledger.ElectWitnesses(1));
        s.AssertRootsMatchStores();
    }

    [Fact]
    public void Unstaked_MES_is_released_only_after_the_unbonding_period()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000));
        var stake = s.Stake(s.Keys[1], 7_777, node);
        s.Apply(stake);
        var position = stake.ComputeTxId();
        ulong unstakeHeight = s.NextHeight;
        s.Apply(s.Unstake(s.Keys[1], position));
        Assert.True(s.Ledger.TryGetStakePosition(position, out var p));
        Assert.Equal(unstakeHeight + StakingHarness.TestRules.UnbondingBlocks, p!.ReleaseHeight);

        while (s.NextHeight < p.ReleaseHeight)
        {
            Assert.Equal(LedgerErrors.StillUnbonding, s.Rejected(s.Unstake(s.Keys[1], position)));
            s.Apply();
        }
        var release = s.Unstake(s.Keys[1], position);
        ulong before = s.Ledger.GetBalance(s.Keys[1].Address, Hash32.Zero);
        var result = s.Apply(release);
        // The release is an extra output after the transaction's own (index = output count).
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(release.ComputeTxId(), 1), out var released));
        Assert.Equal((7_777UL, s.Keys[1].Address), (released.Amount, released.Owner));
        Assert.Equal(before - result.Fees + 7_777, s.Ledger.GetBalance(s.Keys[1].Address, Hash32.Zero));
        Assert.False(s.Ledger.TryGetStakePosition(position, out _));
        Assert.Equal(LedgerErrors.UnknownPosition, s.Rejected(s.Unstake(s.Keys[1], position)));
        s.AssertRootsMatchStores();
    }

    [Fact]
    public void Voters_claim_rewards_in_proportion_to_stake_exactly_once()
    {
        var s = new StakingHarness(rules: StakingHarness.TestRules with { LastCommitShareBps = 0 }, subsidy: 1_000);
        var node = new TestKey();
        var operatorKey = s.Keys[0];
        s.Apply(s.Register(operatorKey, node, 1_000_000, voterShareBps: 5_000));
        var small = s.Stake(s.Keys[1], 1_000, node);
        var large = s.Stake(s.Keys[2], 3_000, node);
        s.Apply(small, large); // proposer without a node key: no voter share in these blocks

        // An empty block proposed by the candidate: reward 1,000 = subsidy; half to its voters (weight 4,000).
        var rewards = new BlockRewardRecipients(operatorKey.Address, StakingHarness.NodeKeyOf(node), []);
        ulong operatorBefore = s.Ledger.GetBalance(operatorKey.Address, Hash32.Zero);
        s.Apply(rewards);
        Assert.Equal(operatorBefore + 500, s.Ledger.GetBalance(operatorKey.Address, Hash32.Zero));
        Assert.Equal(125UL, s.Ledger.ClaimableRewards(small.ComputeTxId()));
        Assert.Equal(375UL, s.Ledger.ClaimableRewards(large.ComputeTxId()));

        var claimSmall = s.Claim(s.Keys[1], small.ComputeTxId());
        var claimLarge = s.Claim(s.Keys[2], large.ComputeTxId());
        s.Apply(claimSmall, claimLarge);
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(claimSmall.ComputeTxId(), 1), out var paidSmall));
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(claimLarge.ComputeTxId(), 1), out var paidLarge));
        Assert.Equal((125UL, 375UL), (paidSmall.Amount, paidLarge.Amount));
        Assert.Equal(0UL, s.Ledger.ClaimableRewards(small.ComputeTxId()));
        Assert.Equal(LedgerErrors.NothingToClaim, s.Rejected(s.Claim(s.Keys[1], small.ComputeTxId())));
        // Two claims of one position in one block: the second sees the first's effect.
        s.Apply(rewards);
        var first = s.Claim(s.Keys[1], small.ComputeTxId());
        s.ChainOn(first);
        Assert.Equal(LedgerErrors.NothingToClaim, s.Rejected(first, s.Claim(s.Keys[1], small.ComputeTxId())));
        s.AssertRootsMatchStores();
    }

    [Fact]
    public void Reward_rounding_floors_toward_the_module()
    {
        var s = new StakingHarness(rules: StakingHarness.TestRules with { LastCommitShareBps = 0 }, subsidy: 200);
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000, voterShareBps: 5_000));
        var one = s.Stake(s.Keys[1], 1, node);
        var two = s.Stake(s.Keys[2], 2, node);
        s.Apply(one, two);
        s.Apply(new BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), []));
        // Voters' share 100 over weight 3: index ⌊100·2^64/3⌋; ⌊1·index/2^64⌋ = 33, ⌊2·index/2^64⌋ = 66; 1 unit stays locked.
        Assert.Equal(33UL, s.Ledger.ClaimableRewards(one.ComputeTxId()));
        Assert.Equal(66UL, s.Ledger.ClaimableRewards(two.ComputeTxId()));
    }

    [Fact]
    public void Rewards_accrued_before_unstake_stay_claimable_and_are_released_with_the_stake()
    {
        var s = new StakingHarness(rules: StakingHarness.TestRules with { LastCommitShareBps = 0 }, subsidy: 1_000);
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000, voterShareBps: 10_000));
        var stake = s.Stake(s.Keys[1], 50, node);
        s.Apply(stake);
        var rewards = new BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), []);
        s.Apply(rewards); // all 1,000 to the only voter
        s.Apply(s.Unstake(s.Keys[1], stake.ComputeTxId()));
        s.Apply(rewards); // weight 0 now: everything to the proposer
        Assert.Equal(1_000UL, s.Ledger.ClaimableRewards(stake.ComputeTxId()));
        while (s.NextHeight < s.Ledger.ReadPosition(stake.ComputeTxId())!.ReleaseHeight) s.Apply();
        var release = s.Unstake(s.Keys[1], stake.ComputeTxId());
        s.Apply(release);
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(release.ComputeTxId(), 1), out var released));
        Assert.Equal(1_050UL, released.Amount);
    }

    [Fact]
    public void LastCommit_signers_share_the_reward_and_one_address_gets_one_output()
    {
        var s = new StakingHarness(subsidy: 1_000); // lastCommitShareBps 1,000 = 10 %
        var (proposer, a, b) = (new TestKey(), new TestKey(), new TestKey());
        s.Apply(new BlockRewardRecipients(proposer.Address, null, [a.Address, proposer.Address, b.Address, a.Address]));
        var txid = LedgerState.RewardOutpoint(s.Ledger.Height!.Value).TxId;
        // Pool 100 over 4 signatures: 25 each; proposer 900 + 25; a signed twice: 50.
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(txid, 0), out var p));
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(txid, 1), out var pa));
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(txid, 2), out var pb));
        Assert.Equal((925UL, 50UL, 25UL), (p.Amount, pa.Amount, pb.Amount));
        Assert.False(s.Ledger.TryGetUtxo(new TxInput(txid, 3), out _));

        // A one-witness chain (the signer is the proposer) keeps a single reward output of the whole reward.
        s.Apply(new BlockRewardRecipients(proposer.Address, null, [proposer.Address]));
        txid = LedgerState.RewardOutpoint(s.Ledger.Height!.Value).TxId;
        Assert.True(s.Ledger.TryGetUtxo(new TxInput(txid, 0), out p));
        Assert.Equal(1_000UL, p.Amount);
        Assert.False(s.Ledger.TryGetUtxo(new TxInput(txid, 1), out _));
    }

    [Fact]
    public void Revert_restores_every_staking_record_and_the_state_root()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000));
        var stake = s.Stake(s.Keys[1], 1_000, node);
        s.Apply(stake);
        s.Apply(new BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), [s.Keys[2].Address]));

        var root = s.Ledger.StateRoot;
        var candidateBefore = s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(node))!.EncodeValue();
        var positionBefore = s.Ledger.ReadPosition(stake.ComputeTxId())!.EncodeValue();
        var node2 = new TestKey();
        var register2 = s.Register(s.Keys[2], node2, 1_000_000);
        var claim = s.Claim(s.Keys[1], stake.ComputeTxId());
        var unstakeBlock = LedgerHarness.MakeBlock(s.NextHeight, register2, claim);
        var result = s.H.AssertApplies(unstakeBlock, rewards: new BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), []));
        Assert.NotEqual(root, s.Ledger.StateRoot);
        Assert.Equal(2, s.Ledger.GetCandidates().Length);

        s.Ledger.Revert(result);
        Assert.Equal(root, s.Ledger.StateRoot);
        Assert.Equal(candidateBefore, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(node))!.EncodeValue());
        Assert.Equal(positionBefore, s.Ledger.ReadPosition(stake.ComputeTxId())!.EncodeValue());
        Assert.Null(s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(node2)));
        Assert.Single(s.Ledger.GetCandidates());
        s.AssertRootsMatchStores();

        // The same block again, then an unstake block reverted: the position and weights come back.
        s.H.AssertApplies(unstakeBlock, rewards: new BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), []));
        s.ChainOn(claim);
        var root2 = s.Ledger.StateRoot;
        var unstake = s.H.AssertApplies(LedgerHarness.MakeBlock(s.NextHeight, s.Build(s.Keys[1], TxKind.Unstake,
            MesFast.Core.Ledger.Kinds.PositionPayload.Encode(stake.ComputeTxId()))));
        Assert.Equal(0UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(node))!.Weight);
        s.Ledger.Revert(unstake);
        Assert.Equal(root2, s.Ledger.StateRoot);
        Assert.Equal(1_000UL, s.Ledger.ReadCandidate(StakingHarness.NodeKeyOf(node))!.Weight);
        s.AssertRootsMatchStores();
    }

    [Fact]
    public void Checkpoint_and_reopen_rebuild_the_candidate_index()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000));
        s.Apply(s.Stake(s.Keys[1], 42, node));
        var root = s.Ledger.StateRoot;
        s.Ledger.Checkpoint();
        var reopened = s.H.Reopen();
        Assert.Equal(root, reopened.StateRoot);
        var candidate = Assert.Single(reopened.GetCandidates());
        Assert.Equal(42UL, candidate.Weight);
    }

    [Fact]
    public void Staking_records_are_covered_by_the_shard_roots_for_any_shard_count()
    {
        foreach (int shards in new[] { 1, 8 })
        {
            var s = new StakingHarness(shards: shards);
            var node = new TestKey();
            s.Apply(s.Register(s.Keys[0], node, 1_000_000));
            s.Apply(s.Stake(s.Keys[1], 10, node));
            s.AssertRootsMatchStores();
        }
    }
}
