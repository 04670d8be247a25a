namespace MesFast.Node.Chain;

/// <summary>Final transactions per second over a sliding ten-second window (per-second buckets).</summary>
internal sealed class ThroughputMeter
{
    private const int Seconds = 10;
    private readonly long[] _counts = new long[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly Lock _lock = new();

    public void Add(int transactions, long nowMs)
    {
        long second = nowMs / 1000;
        int slot = (int)(second % Seconds);
        lock (_lock)
        {
            if (_stamps[slot] != second)
            {
                _stamps[slot] = second;
                _counts[slot] = 0;
            }
            _counts[slot] += transactions;
        }
    }

    public double PerSecond(long nowMs)
    {
        long second = nowMs / 1000;
        long total = 0;
        lock (_lock)
        {
            for (int i = 0; i < Seconds; i++)
                if (second - _stamps[i] < Seconds) total += _counts[i];
        }
        return total / (double)Seconds;
    }
}
