using MesFast.Core.Ledger.Staking;
using MesFast.Core.Tests.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

public sealed class StakingRandomTests
{
    /// <summary>
    /// Random registrations, stakes, claims and unstakes under random proposers and signers; one block in three is
    /// reverted and re-applied. Every revert restores the root, every re-apply reproduces it, and the shard roots always
    /// match the records in the stores.
    /// </summary>
    [Fact]
    public void Random_staking_blocks_revert_and_replay_exactly()
    {
        int seed = TestSeeds.Get(4301);
        var random = new Random(seed);
        var s = new StakingHarness(keys: 5, shards: 8);
        var nodes = new List<TestKey>();
        var positions = new List<(Hash32 Id, int Owner)>();
        int stakingTxsApplied = 0;
        for (int block = 0; block < 40; block++)
        {
            var txs = new List<Transaction>();
            var used = new HashSet<int>();
            var newPositions = new List<(Hash32, int)>();
            for (int t = 0; t < random.Next(0, 4); t++)
            {
                int k = random.Next(s.Keys.Length);
                if (!used.Add(k)) continue;
                var owner = s.Keys[k];
                int action = nodes.Count == 0 ? 0 : random.Next(4);
                if (action == 0)
                {
                    var node = new TestKey();
                    nodes.Add(node);
                    txs.Add(s.Register(owner, node, 1_000_000 + (ulong)random.Next(1000), (ushort)random.Next(10_001)));
                }
                else if (action == 1 || positions.Count == 0)
                {
                    var approved = nodes.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(nodes.Count, 30) + 1)).ToArray();
                    // Candidates registered in this very block are visible to later transactions of the block.
                    var stake = s.Stake(owner, (ulong)random.Next(1, 1_000_000), approved);
                    txs.Add(stake);
                    newPositions.Add((stake.ComputeTxId(), k));
                }
                else
                {
                    var mine = positions.Where(p => p.Owner == k).ToList();
                    if (mine.Count == 0) continue;
                    var (id, _) = mine[random.Next(mine.Count)];
                    var position = s.Ledger.ReadPosition(id);
                    if (position is null) continue;
                    if (action == 2 && s.Ledger.ClaimableRewards(id) > 0) txs.Add(s.Claim(owner, id));
                    else if (!position.IsUnbonding || s.NextHeight >= position.ReleaseHeight) txs.Add(s.Unstake(owner, id));
                }
            }
            // Drop transactions the ledger would refuse in this order (e.g. a stake approving a node registered later).
            var proposerNode = nodes.Count > 0 && random.Next(2) == 0 ? nodes[random.Next(nodes.Count)] : null;
            var signers = Enumerable.Range(0, random.Next(0, 4)).Select(_ => s.Keys[random.Next(s.Keys.Length)].Address).ToArray();
            var rewards = new BlockRewardRecipients(s.Keys[random.Next(s.Keys.Length)].Address,
                proposerNode is null ? null : StakingHarness.NodeKeyOf(proposerNode), signers);
            var bytes = LedgerHarness.MakeBlock(s.NextHeight, [.. txs]);
            Assert.True(MesFast.Core.Codec.BlockView.TryDecode(bytes, out var view, out _));
            var before = s.Ledger.StateRoot;
            if (!s.Ledger.TryApplyBlock(view, rewards, null, out var applied, out _))
            {
                Assert.Equal(before, s.Ledger.StateRoot);
                txs.Clear(); // the draft was refused as a whole: apply an empty block instead
                bytes = LedgerHarness.MakeBlock(s.NextHeight);
                Assert.True(MesFast.Core.Codec.BlockView.TryDecode(bytes, out view, out _));
                Assert.True(s.Ledger.TryApplyBlock(view, rewards, null, out applied, out _));
                newPositions.Clear();
            }
            var after = s.Ledger.StateRoot;
            if (random.Next(3) == 0)
            {
                s.Ledger.Revert(applied!);
                Assert.True(before == s.Ledger.StateRoot, $"seed {seed}: revert of block {block} did not restore the root");
                s.AssertRootsMatchStores();
                Assert.True(MesFast.Core.Codec.BlockView.TryDecode(bytes, out view, out _));
                Assert.True(s.Ledger.TryApplyBlock(view, rewards, null, out _, out _));
                Assert.True(after == s.Ledger.StateRoot, $"seed {seed}: re-applying block {block} gave another root");
            }
            foreach (var tx in txs) s.ChainOn(tx);
            stakingTxsApplied += txs.Count;
            positions.AddRange(newPositions);
            s.AssertRootsMatchStores();
        }
        Assert.NotEmpty(s.Ledger.GetCandidates());
        Assert.True(stakingTxsApplied >= 30, $"seed {seed}: only {stakingTxsApplied} staking transactions applied");
    }
}
