namespace MesFast.Core.Mempool;

/// <summary>Limits of the transaction pool.</summary>
public sealed record MempoolOptions
{
    public int MaxCount { get; init; } = 200_000;

    /// <summary>Bytes held (encodings plus <see cref="PooledTx.Overhead"/> per entry).</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    /// <summary>Submissions waiting for admission; beyond it new submissions are refused with "busy" at once.</summary>
    public int QueueLimit { get; init; } = 20_000;

    /// <summary>Most submissions admitted together (their signatures verified in one batch).</summary>
    public int BatchSize { get; init; } = 512;
}
