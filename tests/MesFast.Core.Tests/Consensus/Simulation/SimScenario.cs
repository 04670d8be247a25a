namespace MesFast.Core.Tests.Consensus.Simulation;

internal enum ByzantineKind
{
    None,
    /// <summary>Sends nothing (withheld proposals and votes).</summary>
    Silent,
    /// <summary>As proposer, sends different blocks to different peers.</summary>
    Equivocate,
    /// <summary>Sends Prepare/Commit for its block to half the peers and for another block to the rest.</summary>
    DoubleVote,
    /// <summary>Proposes blocks that honest execution rejects.</summary>
    InvalidBlock,
}

/// <summary>The faults of one run, all drawn from the run's seed.</summary>
internal sealed record SimScenario(
    int Seed,
    int N,
    ByzantineKind[] Kinds,
    long ChaosMs,
    double DropRate,
    double DuplicateRate,
    int MaxDelayMs,
    (long From, long Until, int[] Group)? Partition,
    (int Node, long At, long Until)? Crash,
    int ExtraHeights)
{
    public int F => (N - 1) / 3;

    public static SimScenario FromSeed(int seed, Random random)
    {
        int n = random.Next(2) == 0 ? 4 : 7;
        int f = (n - 1) / 3;
        var kinds = new ByzantineKind[n];
        int byzantine = random.Next(f + 1);
        for (int b = 0; b < byzantine; b++)
        {
            int node;
            do node = random.Next(n); while (kinds[node] != ByzantineKind.None);
            kinds[node] = (ByzantineKind)(1 + random.Next(4));
        }
        long chaos = 500 + random.Next(3_000);
        (long, long, int[])? partition = null;
        if (random.Next(10) < 4)
        {
            long from = random.Next((int)chaos / 2);
            var group = new int[n];
            for (int i = 0; i < n; i++) group[i] = random.Next(2);
            partition = (from, from + random.Next((int)(chaos - from)), group);
        }
        (int, long, long)? crash = null;
        if (random.Next(10) < 4)
        {
            int node;
            do node = random.Next(n); while (kinds[node] != ByzantineKind.None);
            long at = random.Next((int)chaos / 2);
            crash = (node, at, at + random.Next((int)(chaos - at)));
        }
        return new SimScenario(seed, n, kinds, chaos, random.NextDouble() * 0.15, random.NextDouble() * 0.1,
            1 + random.Next(60), partition, crash, 3);
    }

    public override string ToString() =>
        $"seed {Seed}: N={N} byzantine=[{string.Join(",", Kinds)}] chaos={ChaosMs}ms drop={DropRate:F2} dup={DuplicateRate:F2} delay≤{MaxDelayMs}ms"
        + (Partition is { } p ? $" partition {p.From}-{p.Until}ms [{string.Join("", p.Group)}]" : "")
        + (Crash is { } c ? $" crash node {c.Node} {c.At}-{c.Until}ms" : "");
}
