namespace MesFast.Node.Chain;

/// <summary>
/// Caps the transactions of this node's proposals by what it measures a block costs to apply, so that a full block
/// is built, sent and executed by the others well within the view timeout. A fixed cap either wastes a fast host or
/// runs a slow one into view changes: with seven witness processes on two cores a 16,384-transaction block took over
/// 3 s to execute, every view-0 timer expired, and each view change cost more than the larger block gained.
/// Recorded on the chain thread; read from any (a double is read whole on 64-bit targets).
/// </summary>
internal sealed class ProposalSizer
{
    /// <summary>Blocks smaller than this say little about the cost per transaction (fixed costs dominate): not sampled.</summary>
    internal const int MinSampleTxs = 256;

    /// <summary>Never below this: a slow sample must not shrink blocks to nothing.</summary>
    internal const int MinLimit = 1_024;

    /// <summary>Weight of a new sample in the moving average.</summary>
    private const double SampleWeight = 0.2;

    private readonly double _budgetMs;
    private double _msPerTx;

    /// <param name="viewTimeoutMs">the view-0 timeout; a block's application may take a quarter of it here (the proposer
    /// applies it to build it, every other witness to vote, and the rest is transfer and the vote rounds).</param>
    public ProposalSizer(long viewTimeoutMs) => _budgetMs = viewTimeoutMs / 4.0;

    /// <summary>Measured milliseconds per transaction (moving average); 0 before the first sample.</summary>
    public double MsPerTx => Volatile.Read(ref _msPerTx);

    /// <summary>A block of <paramref name="txs"/> transactions took <paramref name="ms"/> to apply on this node.</summary>
    public void Record(int txs, double ms)
    {
        if (txs < MinSampleTxs || ms < 0) return;
        double sample = ms / txs;
        Volatile.Write(ref _msPerTx, _msPerTx == 0 ? sample : (1 - SampleWeight) * _msPerTx + SampleWeight * sample);
    }

    /// <summary>The most transactions to propose now: the configured cap, lowered to fit the budget at the measured cost.</summary>
    public int Limit(int configured)
    {
        double msPerTx = MsPerTx;
        if (msPerTx <= 0) return configured;
        double fits = _budgetMs / msPerTx;
        return fits >= configured ? configured : Math.Min(configured, Math.Max(MinLimit, (int)fits));
    }
}
