using System.Collections.Concurrent;
using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>
/// Txids of the transactions in the last final blocks, so admission can refuse a transaction that is already final
/// before it verifies its signatures. On a busy node a peer's copy of a transaction often waits in the admission queue
/// while the block holding it is executed (its signatures verified there) and finalised; verifying it again afterwards
/// was pure waste. One writer (the chain thread, in height order); any thread reads.
/// </summary>
internal sealed class RecentlyIncluded(int maxBlocks, int maxTxIds)
{
    private readonly ConcurrentDictionary<Hash32, byte> _txids = new(concurrencyLevel: 64, capacity: 16_384);
    private readonly Queue<Hash32[]> _blocks = new();
    private int _count;

    public bool Contains(in Hash32 txid) => _txids.ContainsKey(txid);

    /// <summary>Remembers a final block's txids (the array is kept, not copied); forgets the oldest blocks beyond the bounds.</summary>
    public void Add(Hash32[] txids)
    {
        if (txids.Length == 0) return;
        foreach (var txid in txids) _txids.TryAdd(txid, 0);
        _blocks.Enqueue(txids);
        _count += txids.Length;
        while (_blocks.Count > 1 && (_blocks.Count > maxBlocks || _count > maxTxIds))
        {
            var oldest = _blocks.Dequeue();
            _count -= oldest.Length;
            foreach (var txid in oldest) _txids.TryRemove(txid, out _);
        }
    }
}
