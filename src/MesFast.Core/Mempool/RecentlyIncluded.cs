using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>
/// Txids of the transactions in the last final blocks, so admission can refuse a transaction that is already final
/// before it verifies its signatures. On a busy node a peer's copy of a transaction often waits in the admission queue
/// while the block holding it is executed (its signatures verified there) and finalised; verifying it again afterwards
/// was pure waste. One writer (the chain thread, in height order); any thread reads, under a lock held for one
/// lookup or one block's update. A set of structs under a lock, not a concurrent dictionary: that allocated a node
/// object per txid, each living 64 blocks — promoted through every GC generation, thousands per block.
/// </summary>
internal sealed class RecentlyIncluded(int maxBlocks, int maxTxIds)
{
    private readonly HashSet<Hash32> _txids = new(16_384);
    private readonly Queue<Hash32[]> _blocks = new();
    private readonly Lock _gate = new();
    private int _count;

    public bool Contains(in Hash32 txid)
    {
        lock (_gate) return _txids.Contains(txid);
    }

    /// <summary>Remembers a final block's txids (the array is kept, not copied); forgets the oldest blocks beyond the bounds.</summary>
    public void Add(Hash32[] txids)
    {
        if (txids.Length == 0) return;
        lock (_gate)
        {
            foreach (var txid in txids) _txids.Add(txid);
            _blocks.Enqueue(txids);
            _count += txids.Length;
            while (_blocks.Count > 1 && (_blocks.Count > maxBlocks || _count > maxTxIds))
            {
                var oldest = _blocks.Dequeue();
                _count -= oldest.Length;
                foreach (var txid in oldest) _txids.Remove(txid);
            }
        }
    }
}
