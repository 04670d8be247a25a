using MesFast.Core.Mempool;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Mempool;

public sealed class ExpiryQueueTests
{
    private static PooledTx Tx(int n, ulong validUntil)
    {
        var id = new byte[32];
        BitConverter.TryWriteBytes(id, n);
        return new PooledTx(new Hash32(id), new byte[100], 1_000, validUntil, [], n);
    }

    [Fact]
    public void Expired_transactions_come_out_in_validity_order_and_removed_ones_never_do()
    {
        int seed = TestSeeds.Get(Random.Shared.Next());
        var random = new Random(seed);
        var queue = new ExpiryQueue();
        var all = new List<PooledTx>();
        for (int i = 0; i < 2_000; i++)
        {
            var tx = Tx(i, (ulong)random.Next(1, 500));
            queue.Add(tx);
            all.Add(tx);
        }
        var removed = new HashSet<PooledTx>();
        foreach (var tx in all)
            if (random.Next(3) == 0)
            {
                queue.Removed(tx);
                removed.Add(tx);
            }
        for (ulong next = 1; next <= 501; next += (ulong)random.Next(1, 40))
        {
            var expired = new List<PooledTx>();
            while (queue.NextExpired(next) is { } tx)
            {
                expired.Add(tx);
                queue.Removed(tx); // the pool removes what expired
            }
            var expected = all.Where(t => !removed.Contains(t) && t.ValidUntil < next).ToHashSet();
            Assert.True(expected.SetEquals(expired), $"at next height {next} (seed {seed})");
            Assert.Equal(expired.OrderBy(t => t.ValidUntil).Select(t => t.ValidUntil), expired.Select(t => t.ValidUntil));
            foreach (var tx in expired) removed.Add(tx);
        }
    }

    [Fact]
    public void Entries_of_removed_transactions_do_not_pile_up()
    {
        var queue = new ExpiryQueue();
        var live = new Queue<PooledTx>();
        // A pool of ~5,000 whose transactions are included long before they expire, 200,000 times over.
        for (int i = 0; i < 200_000; i++)
        {
            var tx = Tx(i, 1_000_000);
            queue.Add(tx);
            live.Enqueue(tx);
            if (live.Count > 5_000) queue.Removed(live.Dequeue());
            Assert.True(queue.EntryCount <= 2 * live.Count + 1_025, $"{queue.EntryCount} entries for {live.Count} pooled after {i + 1} admissions");
        }
        Assert.Null(queue.NextExpired(1_000_000));
        Assert.Contains(queue.NextExpired(1_000_001)!, live); // a pooled one (equal validity: any)
    }
}
