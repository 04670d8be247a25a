using MesFast.Node.Chain;

namespace MesFast.Node.Tests.Chain;

public sealed class ProposalSizerTests
{
    [Fact]
    public void Without_a_measurement_the_configured_cap_holds()
    {
        var sizer = new ProposalSizer(viewTimeoutMs: 3_000);
        Assert.Equal(16_384, sizer.Limit(16_384));
        sizer.Record(ProposalSizer.MinSampleTxs - 1, 10_000); // a small block says nothing about the cost per transaction
        Assert.Equal(16_384, sizer.Limit(16_384));
        Assert.Equal(0, sizer.MsPerTx);
    }

    [Fact]
    public void A_slow_host_proposes_what_it_can_apply_in_a_quarter_of_the_view_timeout()
    {
        var sizer = new ProposalSizer(viewTimeoutMs: 3_000);
        sizer.Record(10_000, 2_500); // 0.25 ms per transaction: 750 ms fit 3,000
        Assert.Equal(0.25, sizer.MsPerTx, 6);
        Assert.Equal(3_000, sizer.Limit(16_384));
        Assert.Equal(2_000, sizer.Limit(2_000)); // never above the configured cap
    }

    [Fact]
    public void A_fast_host_keeps_the_cap_and_the_limit_never_falls_below_the_floor()
    {
        var fast = new ProposalSizer(viewTimeoutMs: 3_000);
        fast.Record(16_384, 400); // ~0.024 ms per transaction: 30,000 would fit
        Assert.Equal(16_384, fast.Limit(16_384));
        var crawling = new ProposalSizer(viewTimeoutMs: 3_000);
        crawling.Record(1_000, 60_000);
        Assert.Equal(ProposalSizer.MinLimit, crawling.Limit(16_384));
    }

    [Fact]
    public void The_measurement_follows_the_host_as_a_moving_average()
    {
        var sizer = new ProposalSizer(viewTimeoutMs: 4_000);
        sizer.Record(1_000, 1_000); // 1 ms per transaction
        sizer.Record(1_000, 100);   // then 0.1: the average moves a fifth of the way
        Assert.Equal(0.82, sizer.MsPerTx, 6);
        for (int i = 0; i < 40; i++) sizer.Record(1_000, 100);
        Assert.InRange(sizer.MsPerTx, 0.1, 0.101);
        Assert.InRange(sizer.Limit(16_384), 9_900, 10_000);
    }
}
