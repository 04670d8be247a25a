using MesFast.Core.Consensus;
using MesFast.Core.Types;

namespace MesFast.Core.Tests.Consensus;

public sealed class ViewChangeTests
{
    private static readonly SpbftOptions Options = new() { BaseTimeoutMs = 1_000, MaxTimeoutMs = 8_000 };

    [Fact]
    public void A_silent_proposer_times_out_and_the_next_proposer_finalises_in_view_1()
    {
        var net = new TestNet(4, Options);
        // Height 1, view 0: proposer 1, which is silent.
        bool Silent(int from, int to, ConsensusMessage m) => from == 1;
        net.Tick(0);
        net.Deliver(Silent);
        Assert.All(net.Engines, e => Assert.Equal(1UL, e.Height));
        net.Tick(999);
        Assert.All(net.Engines, e => Assert.Equal(0u, e.View));
        net.Tick(1_000);
        net.Deliver(Silent);
        foreach (int i in new[] { 0, 2, 3 })
        {
            var host = net.Hosts[i];
            var (height, hash, cert, missed) = Assert.Single(host.Final);
            Assert.Equal(1UL, height);
            Assert.Equal(1u, cert.View);
            Assert.Equal(TestNet.HashOf(TestNet.MakeBlock(1, 1, 2, 2)), hash); // node 2 proposed it in view 1
            Assert.Equal([1], missed);
            Assert.Equal(2UL, net.Engines[i].Height);
            Assert.Equal(0u, net.Engines[i].View);
        }
    }

    [Fact]
    public void A_prepared_block_is_re_proposed_after_a_view_change()
    {
        var net = new TestNet(4, Options);
        // Everyone prepares the view-0 block of proposer 1, but every Commit is lost.
        bool NoCommits(int from, int to, ConsensusMessage m) => m is VoteMessage { Vote.Phase: VotePhase.Commit };
        net.Tick(0);
        net.Deliver(NoCommits);
        var prepared = TestNet.HashOf(TestNet.MakeBlock(1, 0, 1, 1));
        Assert.All(net.Engines, e => Assert.Equal(prepared, e.PreparedCertificate!.Block));
        int builtBefore = net.Hosts[2].Built;
        net.Tick(1_000);
        net.Deliver();
        Assert.Equal(builtBefore, net.Hosts[2].Built); // the view-1 proposer did not build a fresh block
        foreach (var host in net.Hosts)
        {
            var final = Assert.Single(host.Final);
            Assert.Equal(prepared, final.Hash);
            Assert.Equal(1u, final.Cert.View);
        }
    }

    [Fact]
    public void A_timed_out_view_reports_what_the_node_had_seen()
    {
        var net = new TestNet(4, Options);
        // Witness 3's Prepare and every Commit are lost: the others prepare on 0, 1, 2's Prepares and time out.
        bool Lossy(int from, int to, ConsensusMessage m) =>
            m is VoteMessage { Vote.Phase: VotePhase.Commit } || (m is VoteMessage { Vote.Phase: VotePhase.Prepare } && from == 3);
        net.Tick(100);
        net.Deliver(Lossy);
        Assert.Empty(net.Hosts[0].TimedOut);
        net.Tick(1_099);
        Assert.Empty(net.Hosts[0].TimedOut);
        net.Tick(1_100);
        var report = Assert.Single(net.Hosts[0].TimedOut);
        Assert.Equal((1UL, 0u, 1_000L, 0L, true), (report.Height, report.View, report.RanMs, report.ProposalAtMs, report.Prepared));
        Assert.Equal([0, 1, 2], report.Prepares);
        Assert.Equal([0], report.Commits); // its own Commit only
        // Witness 3 got every Prepare but its own never left.
        var third = Assert.Single(net.Hosts[3].TimedOut);
        Assert.Equal([0, 1, 2, 3], third.Prepares);
        Assert.Equal([3], third.Commits);
        // View 1 (its NewView never delivered) starts at its first tick and reports no proposal after twice the time.
        net.Bus.Clear();
        net.Tick(1_200);
        net.Tick(3_199);
        Assert.Single(net.Hosts[0].TimedOut);
        net.Tick(3_200);
        Assert.Equal(2, net.Hosts[0].TimedOut.Count);
        Assert.Equal((1UL, 1u, 2_000L, -1L, false), (net.Hosts[0].TimedOut[1].Height, net.Hosts[0].TimedOut[1].View,
            net.Hosts[0].TimedOut[1].RanMs, net.Hosts[0].TimedOut[1].ProposalAtMs, net.Hosts[0].TimedOut[1].Prepared));
    }

    [Fact]
    public void A_locked_witness_refuses_a_fresh_block_that_no_higher_certificate_justifies()
    {
        var net = new TestNet(4, Options);
        // Only witness 0 sees the Prepares: it alone is prepared (locked) on the view-0 block.
        bool PreparesOnlyTo0(int from, int to, ConsensusMessage m) =>
            m is VoteMessage { Vote.Phase: VotePhase.Commit } || (m is VoteMessage { Vote.Phase: VotePhase.Prepare } && to != 0);
        net.Tick(0);
        net.Deliver(PreparesOnlyTo0);
        Assert.NotNull(net.Engines[0].PreparedCertificate);
        Assert.Null(net.Engines[1].PreparedCertificate);
        net.Engines[0].OnTick(1_000); // witness 0 times out into view 1
        net.Bus.Clear();
        // Proposer of view 1 is 2; its NewView leaves witness 0's certificate out and proposes a fresh block.
        var changes = new[] { net.ViewChange(1, 1, 1), net.ViewChange(2, 1, 1), net.ViewChange(3, 1, 1) };
        var fresh = TestNet.MakeBlock(1, 1, 2, 2);
        net.Engines[0].OnMessage(net.NewView(2, 1, 1, changes, fresh));
        Assert.False(net.Engines[0].IsAwaitingNewView);
        Assert.DoesNotContain(net.Bus, x => x.Message is VoteMessage); // no Prepare for the fresh block
        // The same block is acceptable to a witness that is not locked.
        net.Engines[3].OnMessage(net.NewView(2, 1, 1, changes, fresh));
        Assert.Contains(net.Bus, x => x.From == 3 && x.Message is VoteMessage { Vote.Phase: VotePhase.Prepare, Vote.View: 1 });
    }

    [Fact]
    public void NewViews_with_forged_or_insufficient_view_changes_are_rejected()
    {
        var net = new TestNet(4, Options);
        bool Silent(int from, int to, ConsensusMessage m) => from == 1;
        net.Tick(0);
        net.Deliver(Silent);
        net.Engines[0].OnTick(1_000); // witness 0 waits for the NewView of view 1 (proposer 2)
        net.Bus.Clear();
        var engine = net.Engines[0];
        var fresh = TestNet.MakeBlock(1, 1, 2, 2);
        var good = new[] { net.ViewChange(1, 1, 1), net.ViewChange(2, 1, 1), net.ViewChange(3, 1, 1) };

        var forged = good[2] with { Signature = net.SignAs(1, ViewChangeSigning.ViewChange(9, 1, 1, null)) }; // 3's change signed by 1
        var wrongView = net.ViewChange(3, 1, 2);
        var cases = new (string Name, NewViewMessage Message)[]
        {
            ("two view changes", net.NewView(2, 1, 1, good[..2], fresh)),
            ("forged view change", net.NewView(2, 1, 1, [good[0], good[1], forged], fresh)),
            ("duplicate witness", net.NewView(2, 1, 1, [good[0], good[1], good[1]], fresh)),
            ("view change for another view", net.NewView(2, 1, 1, [good[0], good[1], wrongView], fresh)),
            ("wrong proposer", net.NewView(3, 1, 1, good, TestNet.MakeBlock(1, 1, 3, 3))),
            ("bad NewView signature", net.NewView(2, 1, 1, good, fresh) with { Signature = net.SignAs(3, default) }),
            ("block of another view", net.NewView(2, 1, 1, good, TestNet.MakeBlock(1, 0, 2, 2))),
            ("short block", new NewViewMessage(1, 1, 2, good, new byte[10], default)),
        };
        foreach (var (name, message) in cases)
        {
            engine.OnMessage(message);
            Assert.True(engine.IsAwaitingNewView, name);
            Assert.True(net.Bus.Count == 0, name);
        }

        // A view change carries a prepared certificate: the fresh block breaks the re-proposal rule.
        var certified = PreparedCertificate(net, TestNet.MakeBlock(1, 0, 1, 1));
        var withCertificate = new[] { good[0], net.ViewChange(2, 1, 1, certified), good[2] };
        engine.OnMessage(net.NewView(2, 1, 1, withCertificate, fresh));
        Assert.True(engine.IsAwaitingNewView, "fresh block despite a prepared certificate");

        engine.OnMessage(net.NewView(2, 1, 1, good, fresh));
        Assert.False(engine.IsAwaitingNewView);
        Assert.Contains(net.Bus, x => x.Message is VoteMessage { Vote.Phase: VotePhase.Prepare, Vote.View: 1 });
    }

    [Fact]
    public void Timeouts_double_per_failed_view_up_to_the_cap_and_reset_at_the_next_height()
    {
        Assert.Equal([1_000L, 2_000, 4_000, 8_000, 8_000, 8_000], Enumerable.Range(0, 6).Select(v => Options.TimeoutFor((uint)v)));
        var net = new TestNet(4, Options);
        var engine = net.Engines[0]; // alone: nobody answers
        long now = 0;
        engine.OnTick(now);
        var entered = new List<long>();
        for (int step = 0; step < 40_000 && engine.View < 5; step++)
        {
            now += 1;
            uint before = engine.View;
            engine.OnTick(now);
            if (engine.View != before) entered.Add(now);
        }
        // Views start at the first tick after they are entered: 1 ms later than the previous timeout.
        Assert.Equal([1_000L, 3_001, 7_002, 15_003, 23_004], entered);
        Assert.Equal(8_000, engine.CurrentTimeoutMs);

        var all = new TestNet(4, Options);
        all.Tick(0);
        all.Deliver();
        Assert.All(all.Engines, e => Assert.Equal(1_000, e.CurrentTimeoutMs));
    }

    [Fact]
    public void A_node_behind_in_view_follows_a_valid_NewView_of_a_higher_view()
    {
        var net = new TestNet(4, Options);
        var changes = new[] { net.ViewChange(1, 1, 2), net.ViewChange(2, 1, 2), net.ViewChange(3, 1, 2) };
        net.Engines[0].OnMessage(net.NewView(3, 1, 2, changes, TestNet.MakeBlock(1, 2, 3, 3)));
        Assert.Equal(2u, net.Engines[0].View);
        Assert.False(net.Engines[0].IsAwaitingNewView);
        Assert.Contains(net.Bus, x => x.From == 0 && x.Message is VoteMessage { Vote.Phase: VotePhase.Prepare, Vote.View: 2 });
    }

    [Fact]
    public void Messages_of_the_next_height_are_buffered_and_replayed_after_a_catch_up()
    {
        var net = new TestNet(4, Options);
        var engine = net.Engines[0];
        var changes = new[] { net.ViewChange(1, 2, 1), net.ViewChange(2, 2, 1), net.ViewChange(3, 2, 1) };
        engine.OnMessage(new PrePrepareMessage(2, 0, 2, TestNet.MakeBlock(2, 0, 2, 2)));
        engine.OnMessage(net.NewView(3, 2, 1, changes, TestNet.MakeBlock(2, 1, 3, 3)));
        Assert.Equal(2, engine.BufferedMessages);
        Assert.Empty(net.Bus);
        engine.OnCaughtUp(2);
        // Both replay at height 2: the PrePrepare gets a Prepare in view 0, then the NewView moves the node to view 1.
        Assert.Equal(2UL, engine.Height);
        Assert.Equal(1u, engine.View);
        Assert.Equal(0, engine.BufferedMessages);
        Assert.Contains(net.Bus, x => x.Message is VoteMessage { Vote.Height: 2, Vote.View: 0 });
        Assert.Contains(net.Bus, x => x.Message is VoteMessage { Vote.Height: 2, Vote.View: 1 });
    }

    private static CommitCertificate PreparedCertificate(TestNet net, byte[] block)
    {
        var hash = TestNet.HashOf(block);
        var signed = Vote.SigningHash(VotePhase.Prepare, 9, 1, 0, hash);
        return new CommitCertificate
        {
            Height = 1,
            View = 0,
            Block = hash,
            Signers = [true, true, true, false],
            Signatures = [net.SignAs(0, signed), net.SignAs(1, signed), net.SignAs(2, signed)],
        };
    }
}
