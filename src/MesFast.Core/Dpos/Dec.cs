namespace MesFast.Core.Dpos;

/// <summary>
/// DEC, the dynamic epoch circle (DESIGN §6): the witness count of the next epoch from the last epoch's mean block
/// fullness. Inputs are on-chain only, so every node computes the same N; N always has the form 3f+1.
/// </summary>
public static class Dec
{
    /// <summary>
    /// Congested (mean &gt; <paramref name="congestedBps"/>): N − 3, not below <paramref name="minWitnesses"/>.
    /// Idle (mean &lt; <paramref name="idleBps"/>): N + 3, not above <paramref name="maxWitnesses"/>. Otherwise N.
    /// A current N outside the bounds or not of the form 3f+1 is first brought to the nearest valid value below it.
    /// </summary>
    public static int NextWitnessCount(int current, int meanFullnessBps, int idleBps, int congestedBps, int minWitnesses, int maxWitnesses)
    {
        int n = Math.Clamp(FloorToBftSize(current), minWitnesses, maxWitnesses);
        if (meanFullnessBps > congestedBps) return Math.Max(minWitnesses, n - 3);
        if (meanFullnessBps < idleBps) return Math.Min(maxWitnesses, n + 3);
        return n;
    }

    /// <summary><see cref="NextWitnessCount(int, int, int, int, int, int)"/> with the genesis thresholds.</summary>
    public static int NextWitnessCount(int current, int meanFullnessBps, DposParams rules) =>
        NextWitnessCount(current, meanFullnessBps, rules.IdleBps, rules.CongestedBps, rules.MinWitnesses, rules.MaxWitnesses);

    /// <summary>The largest 3f+1 ≤ <paramref name="n"/> (1 for n ≤ 1): use it when fewer candidates exist than N.</summary>
    public static int FloorToBftSize(int n) => n <= 1 ? 1 : (n - 1) / 3 * 3 + 1;

    /// <summary>
    /// A block's fullness in basis points: the larger of its share of the block byte limit and of the transaction
    /// count limit (either one makes a block full).
    /// </summary>
    public static int FullnessBps(int blockBytes, int txCount)
    {
        long bytes = (long)Math.Max(0, blockBytes) * DposParams.BasisPoints / ProtocolLimits.MaxBlockBytes;
        long txs = (long)Math.Max(0, txCount) * DposParams.BasisPoints / ProtocolLimits.MaxBlockTxs;
        return (int)Math.Min(DposParams.BasisPoints, Math.Max(bytes, txs));
    }

    /// <summary>Mean of per-block fullness values (integer division; 0 for no blocks).</summary>
    public static int MeanFullnessBps(ReadOnlySpan<int> fullnessBps)
    {
        if (fullnessBps.IsEmpty) return 0;
        long sum = 0;
        foreach (int f in fullnessBps) sum += f;
        return (int)(sum / fullnessBps.Length);
    }
}
