using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace MesFast.Core.Tests.Consensus.Simulation;

/// <summary>
/// Many seeded simulator runs (SAFETY and LIVENESS, see <see cref="Simulation"/>). MESFAST_SIM_SEEDS=N runs N seeds
/// with the cheap keyed-hash signatures (default 500); MESFAST_SIM_FIRST_SEED moves the range (replay one failing
/// seed with MESFAST_SIM_FIRST_SEED=s MESFAST_SIM_SEEDS=1). A smaller set runs with real Ed25519.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 500;
    private const int Ed25519Seeds = 30;

    [Fact]
    public void Seeded_runs_are_safe_and_live_with_keyed_hash_signatures() => RunSeeds(SeedCount(DefaultSeeds), realSignatures: false);

    [Fact]
    public void Seeded_runs_are_safe_and_live_with_real_ed25519() => RunSeeds(Math.Min(SeedCount(Ed25519Seeds), Ed25519Seeds), realSignatures: true);

    [Fact]
    public void A_seed_replays_exactly()
    {
        var first = RunOne(FirstSeed() + 7, realSignatures: false, out var a);
        var second = RunOne(FirstSeed() + 7, realSignatures: false, out var b);
        Assert.Equal(first, second);
        Assert.Equal((a.Now, a.Events, a.FinalisedHeights, a.MaxFinalView), (b.Now, b.Events, b.FinalisedHeights, b.MaxFinalView));
    }

    private void RunSeeds(int count, bool realSignatures)
    {
        int first = FirstSeed();
        var clock = Stopwatch.StartNew();
        long heights = 0, events = 0, virtualMs = 0;
        int viewChanged = 0, catchUps = 0, restarts = 0;
        long slowestRecovery = 0;
        for (int seed = first; seed < first + count; seed++)
        {
            string? failure = RunOne(seed, realSignatures, out var sim);
            Assert.True(failure is null, $"simulation failed (replay: MESFAST_SIM_FIRST_SEED={seed} MESFAST_SIM_SEEDS=1): {failure}");
            heights += sim.FinalisedHeights;
            events += sim.Events;
            virtualMs += sim.Now;
            if (sim.MaxFinalView > 0) viewChanged++;
            catchUps += sim.CatchUps;
            restarts += sim.Restarts;
            slowestRecovery = Math.Max(slowestRecovery, sim.HealToTargetMs);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} seeds ({(realSignatures ? "ed25519" : "keyed-blake3")}) in {clock.ElapsedMilliseconds} ms: {heights} final heights, {events} events, {virtualMs / 1000} s virtual, {viewChanged} runs finalised a height after a view change, {restarts} restarts, {catchUps} catch-ups, slowest heal-to-target {slowestRecovery} ms virtual (bound {Simulation.LivenessBoundMs})"));
    }

    private static string? RunOne(int seed, bool realSignatures, out Simulation sim)
    {
        var scenario = SimScenario.FromSeed(seed, new Random(seed));
        sim = new Simulation(scenario, realSignatures);
        return sim.Run();
    }

    private static int SeedCount(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("MESFAST_SIM_SEEDS"), out int n) && n > 0 ? n : fallback;

    private static int FirstSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("MESFAST_SIM_FIRST_SEED"), out int s) ? s : 1;
}
