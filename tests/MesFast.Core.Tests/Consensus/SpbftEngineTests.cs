using MesFast.Core.Consensus;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Consensus;

public sealed class SpbftEngineTests
{
    [Fact]
    public void One_witness_finalises_each_height_within_the_tick()
    {
        var net = new TestNet(1);
        var (hosts, engines) = (net.Hosts, net.Engines);
        for (int h = 1; h <= 20; h++)
        {
            engines[0].OnTick(h * 10_000); // far beyond any timeout: one witness never changes view
            Assert.Equal((ulong)h + 1, engines[0].Height);
        }
        Assert.Equal(20, hosts[0].Final.Count);
        var cert = hosts[0].Final[^1].Cert;
        Assert.Equal(20UL, cert.Height);
        Assert.Equal([true], cert.Signers);
        Assert.Single(cert.Signatures);
        Assert.Equal(0u, cert.View);
        Assert.Equal(0u, engines[0].View);
    }

    [Fact]
    public void Block_holders_are_the_proposer_and_the_witnesses_that_voted_for_the_block()
    {
        var net = new TestNet(4);
        // Witness 3 hears nothing and says nothing: the other three finalise height 1 (proposer 1) without it.
        net.Tick(0);
        net.Deliver((from, to, _) => from == 3 || to == 3);
        Assert.Equal(2UL, net.Engines[0].Height);
        Assert.Equal([0, 1, 2], net.Hosts[0].Holders[^1]);
        Assert.Equal([0, 1, 2], net.Hosts[2].Holders[^1]);

        // All connected: every holder list covers the proposer and the certificate's signers.
        for (int round = 1; round <= 8; round++)
        {
            net.Tick(round * 10_000);
            net.Deliver();
        }
        foreach (var host in net.Hosts)
            for (int i = 0; i < host.Final.Count; i++)
            {
                var (height, _, cert, _) = host.Final[i];
                int[] holders = host.Holders[i];
                Assert.Contains((int)((height + cert.View) % 4), holders);
                for (int w = 0; w < 4; w++)
                    if (cert.Signers[w]) Assert.Contains(w, holders);
            }
    }

    /// <summary>
    /// Four witnesses after a first tick and delivery in which nothing reaches witness 0: what <paramref name="heldFrom"/>
    /// senders sent it is returned instead; <paramref name="drop"/> names the other deliveries that do not happen.
    /// </summary>
    private static (TestNet Net, List<ConsensusMessage> ToZero) WithMessagesToZeroHeld(Func<int, bool> heldFrom, Func<int, int, bool> drop)
    {
        var net = new TestNet(4);
        var toZero = new List<ConsensusMessage>();
        net.Tick(0);
        net.Deliver((from, to, message) =>
        {
            if (to == 0 && heldFrom(from)) toZero.Add(message);
            return to == 0 || drop(from, to);
        });
        return (net, toZero);
    }

    [Fact]
    public void Votes_fed_together_are_verified_as_one_batch_and_finalise_the_same_block()
    {
        // Witnesses 1-3 run height 1 among themselves; what they send to 0 is held back and fed to it in one go.
        var (net, toZero) = WithMessagesToZeroHeld(_ => true, (from, _) => from == 0);
        Assert.Equal(2UL, net.Engines[1].Height);
        int votes = toZero.Count(m => m is VoteMessage);
        Assert.True(votes >= 4, $"{votes} votes held back");

        net.Engines[0].OnMessages(toZero);
        Assert.Equal(2UL, net.Engines[0].Height);
        Assert.Equal(net.Hosts[1].Final[0].Hash, net.Hosts[0].Final[0].Hash);
        Assert.Equal([votes], net.Hosts[0].Batches);
        Assert.Equal(0, net.Hosts[0].SingleVerifications);
    }

    [Fact]
    public void Forged_votes_in_a_batch_are_dropped()
    {
        // Only the proposer (1) and 0 take part: two of four, below the quorum of three.
        var (net, toZero) = WithMessagesToZeroHeld(from => from == 1, (_, _) => true);
        Hash32 block = TestNet.HashOf(toZero.OfType<PrePrepareMessage>().Single().Block);
        // Prepare and Commit claiming witnesses 2 and 3, signed with witness 1's key: accepted, they would finalise.
        foreach (int claimed in new[] { 2, 3 })
            foreach (var phase in new[] { VotePhase.Prepare, VotePhase.Commit })
                toZero.Add(new VoteMessage(new Vote(phase, 1, 0, block, claimed, net.SignAs(1, Vote.SigningHash(phase, 9, 1, 0, block)))));
        net.Engines[0].OnMessages(toZero);
        Assert.Equal(1UL, net.Engines[0].Height);
        Assert.Empty(net.Hosts[0].Final);
        Assert.Single(net.Hosts[0].Batches);

        // The same votes signed by the witnesses they name finalise the block.
        var genuine = new List<ConsensusMessage>();
        foreach (int witness in new[] { 2, 3 })
            foreach (var phase in new[] { VotePhase.Prepare, VotePhase.Commit })
                genuine.Add(new VoteMessage(new Vote(phase, 1, 0, block, witness, net.SignAs(witness, Vote.SigningHash(phase, 9, 1, 0, block)))));
        net.Engines[0].OnMessages(genuine);
        Assert.Equal(2UL, net.Engines[0].Height);
        Assert.Equal(block, net.Hosts[0].Final[0].Hash);
    }

    [Fact]
    public void A_batch_spanning_a_finalisation_keeps_each_vote_with_its_own_verdict()
    {
        // Witnesses 1-3 run heights 1 and 2 among themselves; everything they send to 0 is fed to it in one batch.
        var (net, toZero) = WithMessagesToZeroHeld(_ => true, (from, _) => from == 0);
        net.Tick(1); // well inside the view timeout: 0 stays in view 0 of height 1
        net.Deliver((from, to, message) =>
        {
            if (to == 0) toZero.Add(message);
            return to == 0 || from == 0;
        });
        Assert.Equal(3UL, net.Engines[1].Height);
        // A forged Prepare at height 2 (witness 1 for another block, signed by witness 3) after witness 1's genuine one:
        // accepted, it would count as witness 1 equivocating. Height 1's last Commit becomes a past vote mid-batch, so a
        // verdict looked up by position after it would belong to the vote before.
        int at = toZero.FindLastIndex(m => m is VoteMessage { Vote: { Height: 2, Witness: 1, Phase: VotePhase.Prepare } }) + 1;
        var other = new Hash32(new byte[32]);
        var signing = Vote.SigningHash(VotePhase.Prepare, 9, 2, 0, other);
        toZero.Insert(at, new VoteMessage(new Vote(VotePhase.Prepare, 2, 0, other, 1, net.SignAs(3, signing))));

        net.Engines[0].OnMessages(toZero);
        Assert.Equal(3UL, net.Engines[0].Height);
        Assert.Equal(0, net.Engines[0].Equivocations);
    }

    [Fact]
    public void Four_witnesses_agree_on_every_block_under_random_delivery_with_duplicates()
    {
        int seed = TestSeeds.Get(Random.Shared.Next());
        var rng = new Random(seed);
        var net = new TestNet(4);
        var (hosts, engines, bus) = (net.Hosts, net.Engines, net.Bus);
        for (int round = 0; round < 60; round++)
        {
            foreach (var e in engines) e.OnTick(round);
            // Deliver in random order, duplicating some messages; sender excluded.
            var pending = new List<(int From, ConsensusMessage Message)>();
            while (bus.Count > 0 || pending.Count > 0)
            {
                while (bus.Count > 0) pending.Add(bus.Dequeue());
                int pick = rng.Next(pending.Count);
                var (from, message) = pending[pick];
                pending.RemoveAt(pick);
                for (int to = 0; to < engines.Length; to++)
                    if (to != from)
                    {
                        engines[to].OnMessage(message);
                        if (rng.Next(10) == 0) engines[to].OnMessage(message);
                    }
            }
        }
        foreach (var host in hosts) Assert.True(host.Final.Count >= 50, $"seed {seed}: node {host.Self} finalised only {host.Final.Count}");
        int common = hosts.Min(x => x.Final.Count);
        for (int i = 0; i < common; i++)
        {
            var expected = hosts[0].Final[i];
            foreach (var host in hosts)
            {
                Assert.Equal(expected.Height, host.Final[i].Height);
                Assert.True(expected.Hash == host.Final[i].Hash, $"seed {seed}: fork at height {expected.Height}");
                Assert.True(host.Final[i].Cert.Signatures.Length >= 3);
            }
        }
    }

    [Fact]
    public void Aggregator_lets_exactly_one_thread_see_the_quorum()
    {
        for (int trial = 0; trial < 50; trial++)
        {
            var aggregator = new VoteAggregator(100, 67);
            var block = new Hash32(new byte[32]);
            int winners = 0;
            Parallel.For(0, 200, i =>
            {
                // Each witness votes twice (duplicates must not count).
                var vote = new Vote(VotePhase.Commit, 1, 0, block, i % 100, default);
                if (aggregator.Add(vote) == VoteAggregator.AddResult.ReachedQuorum) Interlocked.Increment(ref winners);
            });
            Assert.Equal(1, winners);
            Assert.Equal(100, aggregator.Count);
        }
    }

    [Fact]
    public void A_second_vote_for_another_block_is_equivocation_and_does_not_count()
    {
        var aggregator = new VoteAggregator(4, 3);
        var a = new Hash32(new byte[32]);
        var b = new Hash32(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Equal(VoteAggregator.AddResult.Added, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Equivocation, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, b, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Duplicate, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Rejected, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 9, default)));
        Assert.Equal(1, aggregator.Count);
    }
}
