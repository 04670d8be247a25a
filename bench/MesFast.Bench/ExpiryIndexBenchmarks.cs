using BenchmarkDotNet.Attributes;
using MesFast.Core.Mempool;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// The mempool's expiry index under its real pattern: a pool of 20,000 where each block admits 5,000 transactions and
/// includes the 5,000 oldest. Baseline: the sorted set it used before (a tree node per transaction, removal by search).
/// </summary>
[MemoryDiagnoser]
public class ExpiryIndexBenchmarks
{
    private const int Pool = 20_000;
    private const int PerBlock = 5_000;
    private PooledTx[] _txs = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _txs = new PooledTx[Pool + PerBlock];
        var id = new byte[32];
        for (int i = 0; i < _txs.Length; i++)
        {
            random.NextBytes(id);
            _txs[i] = new PooledTx(new Hash32(id), new byte[200], 1_000, (ulong)random.Next(1_000, 100_000), [], i);
        }
    }

    private static int ByExpiry(PooledTx? a, PooledTx? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return 1;
        if (b is null) return -1;
        int c = a.ValidUntil.CompareTo(b.ValidUntil);
        return c != 0 ? c : a.Arrival.CompareTo(b.Arrival);
    }

    /// <summary>Fill to 20,000, then one block: admit 5,000, include the 5,000 oldest.</summary>
    [Benchmark(Baseline = true)]
    public int SortedSetIndex()
    {
        var set = new SortedSet<PooledTx>(Comparer<PooledTx>.Create(ByExpiry));
        for (int i = 0; i < Pool; i++) set.Add(_txs[i]);
        for (int i = Pool; i < Pool + PerBlock; i++) set.Add(_txs[i]);
        for (int i = 0; i < PerBlock; i++) set.Remove(_txs[i]);
        return set.Count;
    }

    [Benchmark]
    public int ExpiryQueueIndex()
    {
        var queue = new ExpiryQueue();
        for (int i = 0; i < Pool; i++) queue.Add(_txs[i]);
        for (int i = Pool; i < Pool + PerBlock; i++) queue.Add(_txs[i]);
        for (int i = 0; i < PerBlock; i++) queue.Removed(_txs[i]);
        return queue.EntryCount;
    }
}
