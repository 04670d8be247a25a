namespace MesFast.Core.Mempool;

/// <summary>
/// Pooled transactions by <c>validUntil</c>: a binary heap with lazy deletion, instead of a sorted set that allocated a
/// tree node per transaction and rebalanced on every admission and every inclusion (thousands per block). A
/// transaction leaving the pool for another reason is only marked (<see cref="PooledTx.InPool"/>); its entry is
/// dropped when it surfaces or when stale entries outnumber live ones (then the heap is rebuilt, so memory stays
/// proportional to the pool). Not thread-safe: used under the pool's lock.
/// </summary>
internal sealed class ExpiryQueue
{
    /// <summary>Stale entries tolerated beyond the live count before a rebuild.</summary>
    private const int StaleSlack = 1_024;

    private PriorityQueue<PooledTx, ulong> _heap = new();
    private int _live;

    /// <summary>Entries held, stale ones included (for tests and the memory bound).</summary>
    public int EntryCount => _heap.Count;

    public void Add(PooledTx tx)
    {
        tx.InPool = true;
        _heap.Enqueue(tx, tx.ValidUntil);
        _live++;
    }

    /// <summary>The pool dropped <paramref name="tx"/> (included, conflicting, evicted or expired).</summary>
    public void Removed(PooledTx tx)
    {
        tx.InPool = false;
        _live--;
        if (_heap.Count > 2 * _live + StaleSlack) Rebuild();
    }

    /// <summary>The next pooled transaction valid only before <paramref name="nextHeight"/>, or null; the caller removes it.</summary>
    public PooledTx? NextExpired(ulong nextHeight)
    {
        while (_heap.TryPeek(out var tx, out ulong validUntil))
        {
            if (!tx.InPool)
            {
                _heap.Dequeue();
                continue;
            }
            return validUntil < nextHeight ? tx : null;
        }
        return null;
    }

    private void Rebuild()
    {
        var live = new List<(PooledTx, ulong)>(_live);
        foreach (var (tx, validUntil) in _heap.UnorderedItems)
            if (tx.InPool) live.Add((tx, validUntil));
        var heap = new PriorityQueue<PooledTx, ulong>(live.Count + StaleSlack);
        heap.EnqueueRange(live);
        _heap = heap;
    }
}
