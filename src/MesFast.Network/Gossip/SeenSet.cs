using MesFast.Crypto;

namespace MesFast.Network.Gossip;

/// <summary>
/// Bounded set of payload hashes already handled, so gossip does not loop. Split into stripes by the hash's first
/// byte, each with its own lock and FIFO eviction: reader threads of different peers rarely meet on a stripe.
/// </summary>
public sealed class SeenSet
{
    private const int StripeCount = 16;
    private readonly Stripe[] _stripes = new Stripe[StripeCount];

    public SeenSet(int capacity)
    {
        int perStripe = Math.Max(16, capacity / StripeCount);
        for (int i = 0; i < StripeCount; i++) _stripes[i] = new Stripe(perStripe);
    }

    /// <summary>True when <paramref name="hash"/> was not in the set (and now is).</summary>
    public bool Add(in Hash32 hash)
    {
        Stripe stripe = _stripes[hash.Span[0] & (StripeCount - 1)];
        lock (stripe.Gate)
        {
            if (!stripe.Set.Add(hash)) return false;
            if (stripe.Order.Count == stripe.Capacity) stripe.Set.Remove(stripe.Order.Dequeue());
            stripe.Order.Enqueue(hash);
            return true;
        }
    }

    public bool Contains(in Hash32 hash)
    {
        Stripe stripe = _stripes[hash.Span[0] & (StripeCount - 1)];
        lock (stripe.Gate) return stripe.Set.Contains(hash);
    }

    private sealed class Stripe(int capacity)
    {
        /// <summary>A System.Threading.Lock: its uncontended path stays in managed code (a Monitor enter is a runtime call).</summary>
        public readonly Lock Gate = new();
        public readonly int Capacity = capacity;
        public readonly HashSet<Hash32> Set = new(capacity);
        public readonly Queue<Hash32> Order = new(capacity);
    }
}
