using System.Diagnostics;

namespace MesFast.Network;

/// <summary>
/// Inbound rate limit of one peer (used by that peer's reader only, so no locking): tokens refill at a fixed rate
/// up to one second's worth; a reader that overdraws waits for the debt to refill before reading on.
/// </summary>
internal sealed class TokenBucket(double perSecond)
{
    private readonly double _perSecond = perSecond;
    private double _tokens = perSecond;
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Takes <paramref name="amount"/>; returns how long the caller should pause (zero when within the rate).</summary>
    public TimeSpan Take(double amount)
    {
        long now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_perSecond, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
        _tokens -= amount;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
    }
}
