using MesFast.Core.Ledger;
using MesFast.Core.Mempool;
using MesFast.Core.Threading;
using MesFast.Core.Tests.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;
using Pool = MesFast.Core.Mempool.Mempool;

namespace MesFast.Core.Tests.Mempool;

public sealed class MempoolTests
{
    private const ulong Funding = 1_000_000_000;

    /// <summary>A ledger where <c>alice</c> owns <paramref name="outputs"/> separate outputs of <paramref name="each"/> (after block 1).</summary>
    private static (LedgerHarness H, TestKey Alice, List<TxInput> Coins) Funded(int outputs, ulong each = 1_000_000)
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        int splits = (outputs + 199) / 200;
        var funders = new TestKey[splits];
        for (int i = 0; i < splits; i++) funders[i] = alice;
        var genesis = h.ApplyGenesis(Funding, funders);
        var coins = new List<TxInput>();
        var txs = new List<Transaction>();
        for (int s = 0; s < splits; s++)
        {
            int n = Math.Min(200, outputs - s * 200);
            var outs = new TxOutput[n + 1];
            for (int i = 0; i < n; i++) outs[i] = new TxOutput(Hash32.Zero, each, alice.Address);
            outs[n] = new TxOutput(Hash32.Zero, Funding - each * (ulong)n - 20_000, alice.Address);
            var tx = LedgerHarness.Sign(new Transaction { ChainId = LedgerHarness.ChainId, ValidUntil = 10, Inputs = [new TxInput(genesis, (ushort)s)], Outputs = outs }, alice);
            txs.Add(tx);
            for (int i = 0; i < n; i++) coins.Add(new TxInput(tx.ComputeTxId(), (ushort)i));
        }
        h.AssertApplies(LedgerHarness.MakeBlock(1, [.. txs]));
        return (h, alice, coins);
    }

    private static Pool NewPool(LedgerHarness h, int maxCount = 1000, long maxBytes = 64L << 20) =>
        new(new MempoolOptions { MaxCount = maxCount, MaxBytes = maxBytes }, h.Ledger, 2);

    [Fact]
    public void A_transaction_already_in_a_final_block_is_refused_before_its_signatures_are_checked()
    {
        var (h, alice, coins) = Funded(2);
        var bob = new TestKey();
        using var pool = NewPool(h);
        var tx = h.Transfer(alice, [coins[0]], 1_000_000, bob.Address, 10);
        // Final through a block this pool never held it for (a peer's copy was still queued for admission).
        pool.OnBlockCommitted(2, [tx.ComputeTxId()], [coins[0]]);
        var again = pool.Submit(tx.ToBytes());
        Assert.Equal(MempoolErrors.Duplicate, again.Code);
        Assert.Equal("the transaction is already in a final block", again.Message);
        Assert.Equal(tx.ComputeTxId(), again.TxId);
        // Same txid, forged witness: refused as final without verifying anything (a signature check would say bad-signature).
        var forged = new Transaction { ChainId = tx.ChainId, ValidUntil = tx.ValidUntil, Inputs = tx.Inputs, Outputs = tx.Outputs, Witnesses = [alice.Sign(Hash32.Zero)] };
        Assert.Equal(tx.ComputeTxId(), forged.ComputeTxId());
        Assert.Equal(MempoolErrors.Duplicate, pool.Submit(forged.ToBytes()).Code);
        var other = new Transaction { ChainId = tx.ChainId, ValidUntil = tx.ValidUntil, Inputs = [coins[1]], Outputs = tx.Outputs, Witnesses = [alice.Sign(Hash32.Zero)] };
        Assert.Equal(MempoolErrors.BadSignature, pool.Submit(other.ToBytes()).Code);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Recently_included_txids_are_forgotten_beyond_the_block_and_txid_bounds()
    {
        static Hash32[] Ids(params byte[] tags) => Array.ConvertAll(tags, t => { var b = new byte[32]; b[0] = t; return new Hash32(b); });
        var recent = new RecentlyIncluded(maxBlocks: 2, maxTxIds: 5);
        recent.Add(Ids(1));
        recent.Add(Ids(2, 3));
        Assert.True(recent.Contains(Ids(1)[0]) && recent.Contains(Ids(3)[0]));
        recent.Add(Ids(4)); // three blocks: the oldest goes
        Assert.False(recent.Contains(Ids(1)[0]));
        Assert.True(recent.Contains(Ids(2)[0]) && recent.Contains(Ids(4)[0]));
        recent.Add(Ids(5, 6, 7, 8)); // [2,3] goes (block bound); [4],[5..8] are 5 txids: kept
        Assert.False(recent.Contains(Ids(2)[0]));
        Assert.True(recent.Contains(Ids(4)[0]) && recent.Contains(Ids(8)[0]));
        recent.Add(Ids(9, 10)); // [4] goes (blocks), then [5..8] (txids: 6 > 5)
        Assert.False(recent.Contains(Ids(4)[0]) || recent.Contains(Ids(5)[0]));
        Assert.True(recent.Contains(Ids(9)[0]) && recent.Contains(Ids(10)[0]));
        recent.Add(Ids(11, 12, 13, 14, 15, 16)); // a block over the txid bound is still kept whole, alone
        Assert.False(recent.Contains(Ids(9)[0]));
        Assert.True(recent.Contains(Ids(11)[0]) && recent.Contains(Ids(16)[0]));
    }

    private sealed class ThreadProbe : IAdmissionCallback
    {
        public readonly TaskCompletionSource<(string? Name, int? Nice, bool Accepted)> Seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnAdmission(in SubmitResult result, byte[] raw, object? state, in Hash32 tag) =>
            Seen.TrySetResult((Thread.CurrentThread.Name, BackgroundPriority.CurrentNice(), result.Accepted));
    }

    [Fact]
    public async Task Queued_submissions_are_admitted_on_a_thread_of_lower_cpu_priority()
    {
        var (h, alice, coins) = Funded(1);
        int? callerNice = BackgroundPriority.CurrentNice();
        using var pool = NewPool(h);
        var probe = new ThreadProbe();
        pool.Submit(h.Transfer(alice, [coins[0]], 1_000_000, new TestKey().Address, 10).ToBytes(), probe, null);
        var (name, nice, accepted) = await probe.Seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(accepted);
        Assert.Equal("mesd-admission", name);
        // Linux: the thread's own nice value (a runner already at a higher one keeps it: it cannot be lowered).
        if (OperatingSystem.IsLinux()) Assert.True(nice >= BackgroundPriority.Nice, $"admission thread nice {nice}");
        Assert.Equal(callerNice, BackgroundPriority.CurrentNice()); // per thread: the rest of the process keeps its priority
    }

    [Fact]
    public void Each_refusal_has_its_code()
    {
        var (h, alice, coins) = Funded(4);
        var bob = new TestKey();
        using var pool = NewPool(h);
        var tx = h.Transfer(alice, [coins[0]], 1_000_000, bob.Address, 10);
        Assert.True(pool.Submit(tx.ToBytes()).Accepted);
        Assert.Equal(MempoolErrors.Duplicate, pool.Submit(tx.ToBytes()).Code);
        Assert.Equal(MempoolErrors.Decode, pool.Submit([1, 2, 3]).Code);
        Assert.Contains("truncated", pool.Submit([1, 2, 3]).Message, StringComparison.Ordinal);
        var conflict = h.Transfer(alice, [coins[0]], 1_000_000, bob.Address, 20);
        Assert.Equal(MempoolErrors.Conflict, pool.Submit(conflict.ToBytes()).Code);
        var forged = new Transaction { ChainId = tx.ChainId, ValidUntil = tx.ValidUntil, Inputs = [coins[1]], Outputs = tx.Outputs, Witnesses = [alice.Sign(Hash32.Zero)] };
        Assert.Equal(MempoolErrors.BadSignature, pool.Submit(forged.ToBytes()).Code);
        var expired = h.Transfer(alice, [coins[2]], 1_000_000, bob.Address, 10, validUntil: 1);
        Assert.Equal(MempoolErrors.Expired, pool.Submit(expired.ToBytes()).Code);
        var missing = h.Transfer(alice, [new TxInput(Hash32.Zero, 0)], 1_000_000, bob.Address, 10);
        Assert.Equal(LedgerErrors.MissingInput, pool.Submit(missing.ToBytes()).Code);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Blocks_get_the_best_fee_rates_first_and_a_full_pool_evicts_the_worst()
    {
        var (h, alice, coins) = Funded(6);
        var bob = new TestKey();
        using var pool = NewPool(h, maxCount: 3);
        var txs = new Transaction[6];
        ulong[] extra = [50, 10, 30, 20, 5, 40];
        for (int i = 0; i < 6; i++) txs[i] = h.Transfer(alice, [coins[i]], 1_000_000, bob.Address, 10, extraFee: extra[i] * 1000);
        Assert.True(pool.Submit(txs[0].ToBytes()).Accepted);
        Assert.True(pool.Submit(txs[1].ToBytes()).Accepted);
        Assert.True(pool.Submit(txs[2].ToBytes()).Accepted);
        Assert.True(pool.Submit(txs[3].ToBytes()).Accepted); // evicts 10
        Assert.Equal(MempoolErrors.Full, pool.Submit(txs[4].ToBytes()).Code); // 5 pays less than the worst (20)
        Assert.True(pool.Submit(txs[5].ToBytes()).Accepted); // evicts 20
        Assert.Equal(3, pool.Count);
        var picked = new List<PooledTx>();
        pool.SelectForBlock(10, 1 << 20, picked);
        Assert.Equal([txs[0].ComputeTxId(), txs[5].ComputeTxId(), txs[2].ComputeTxId()], picked.Select(p => p.TxId).ToArray());
        picked.Clear();
        pool.SelectForBlock(2, 1 << 20, picked);
        Assert.Equal(2, picked.Count);
    }

    [Fact]
    public void Committed_blocks_remove_included_conflicting_and_expired_transactions()
    {
        var (h, alice, coins) = Funded(4);
        var bob = new TestKey();
        using var pool = NewPool(h);
        var included = h.Transfer(alice, [coins[0]], 1_000_000, bob.Address, 10);
        var conflicting = h.Transfer(alice, [coins[1]], 1_000_000, bob.Address, 10);
        var expiring = h.Transfer(alice, [coins[2]], 1_000_000, bob.Address, 10, validUntil: 2);
        var staying = h.Transfer(alice, [coins[3]], 1_000_000, bob.Address, 10);
        foreach (var tx in new[] { included, conflicting, expiring, staying }) Assert.True(pool.Submit(tx.ToBytes()).Accepted);
        Assert.True(pool.WasVerified(included.ComputeTxId(), included.ToBytes()));
        pool.OnBlockCommitted(2, [included.ComputeTxId()], [coins[0], coins[1]]);
        Assert.Equal(1, pool.Count);
        Assert.True(pool.TryGet(staying.ComputeTxId(), out _));
        Assert.False(pool.WasVerified(included.ComputeTxId(), included.ToBytes()));
        Assert.Equal(3UL, pool.NextHeight);
        // Its block is final but not durable yet: callers still find the included transaction (pending), not
        // the conflicting or expired ones; once the block is durable the block log answers for it instead.
        Assert.True(pool.TryGet(included.ComputeTxId(), out var finalizing));
        Assert.Equal(included.ToBytes(), finalizing!.Bytes);
        Assert.False(pool.TryGet(conflicting.ComputeTxId(), out _));
        Assert.False(pool.TryGet(expiring.ComputeTxId(), out _));
        Assert.Equal(1, pool.Count);
        pool.OnBlocksDurable(1);
        Assert.True(pool.TryGet(included.ComputeTxId(), out _));
        pool.OnBlocksDurable(2);
        Assert.False(pool.TryGet(included.ComputeTxId(), out _));
        Assert.True(pool.TryGet(staying.ComputeTxId(), out _));
    }

    [Fact]
    public void The_signature_cache_only_vouches_for_the_exact_encoding()
    {
        var (h, alice, coins) = Funded(1);
        var bob = new TestKey();
        using var pool = NewPool(h);
        var tx = h.Transfer(alice, [coins[0]], 1_000_000, bob.Address, 10);
        Assert.True(pool.Submit(tx.ToBytes()).Accepted);
        var otherWitness = tx.WithWitnesses([alice.Sign(Hash32.Zero)]);
        Assert.Equal(tx.ComputeTxId(), otherWitness.ComputeTxId());
        Assert.True(pool.WasVerified(tx.ComputeTxId(), tx.ToBytes()));
        Assert.False(pool.WasVerified(tx.ComputeTxId(), otherWitness.ToBytes()));
    }

    [Fact]
    public async Task Concurrent_submitters_batch_and_only_the_bad_signature_is_refused()
    {
        var (h, alice, coins) = Funded(800);
        var bob = new TestKey();
        using var pool = NewPool(h, maxCount: 10_000);
        var txs = new byte[800][];
        for (int i = 0; i < txs.Length; i++) txs[i] = h.Transfer(alice, [coins[i]], 1_000_000, bob.Address, 10).ToBytes();
        int badIndex = new Random(TestSeeds.Get(5)).Next(txs.Length);
        txs[badIndex][^1] ^= 1; // last byte is in the signature
        var results = new SubmitResult[txs.Length];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (int i = t; i < txs.Length; i += 4) results[i] = await pool.SubmitAsync(txs[i]);
        })));
        for (int i = 0; i < txs.Length; i++)
            Assert.True(results[i].Accepted == (i != badIndex), $"tx {i}: {results[i].Code} {results[i].Message}");
        Assert.Equal(MempoolErrors.BadSignature, results[badIndex].Code);
        Assert.Equal(txs.Length - 1, pool.Count);
    }

    /// <summary>Collects callback outcomes as a peer handler would.</summary>
    private sealed class RecordingCallback : IAdmissionCallback
    {
        public System.Collections.Concurrent.ConcurrentDictionary<int, (SubmitResult Result, byte[] Raw, Hash32 Tag)> Outcomes { get; } = new();

        public void OnAdmission(in SubmitResult result, byte[] raw, object? state, in Hash32 tag) => Outcomes[(int)state!] = (result, raw, tag);
    }

    [Fact]
    public async Task Callback_submissions_report_each_outcome_with_the_same_bytes()
    {
        var (h, alice, coins) = Funded(300);
        var bob = new TestKey();
        using var pool = NewPool(h, maxCount: 10_000);
        var txs = new byte[300][];
        for (int i = 0; i < txs.Length; i++) txs[i] = h.Transfer(alice, [coins[i]], 1_000_000, bob.Address, 10).ToBytes();
        txs[17][^1] ^= 1; // bad signature
        txs[42] = [1, 2, 3]; // undecodable
        var callback = new RecordingCallback();
        for (int i = 0; i < txs.Length; i++) pool.Submit(txs[i], callback, i, Tag(i));
        for (int spin = 0; spin < 500 && callback.Outcomes.Count < txs.Length; spin++) await Task.Delay(10);
        Assert.Equal(txs.Length, callback.Outcomes.Count);
        for (int i = 0; i < txs.Length; i++)
        {
            var (result, raw, tag) = callback.Outcomes[i];
            Assert.Same(txs[i], raw);
            Assert.Equal(Tag(i), tag);
            string expected = i == 17 ? MempoolErrors.BadSignature : i == 42 ? MempoolErrors.Decode : "";
            Assert.True(result.Code == expected && result.Accepted == (expected == ""), $"tx {i}: {result.Code} {result.Message}");
        }
        Assert.Equal(txs.Length - 2, pool.Count);
        var refusals = new Dictionary<string, long>(pool.Refusals);
        Assert.Equal(2, refusals.Count);
        Assert.Equal(1, refusals[MempoolErrors.BadSignature]);
        Assert.Equal(1, refusals[MempoolErrors.Decode]);

        // After disposal a callback submission is refused at once, on the submitting thread.
        pool.Dispose();
        var late = new RecordingCallback();
        pool.Submit(txs[0], late, 0);
        Assert.Equal(MempoolErrors.ShuttingDown, late.Outcomes[0].Result.Code);
    }

    /// <summary>A distinct tag per submission (what the network passes: the gossip id).</summary>
    private static Hash32 Tag(int i)
    {
        var bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, i + 1);
        return new Hash32(bytes);
    }

    [Fact]
    public async Task A_flood_keeps_the_pool_within_its_bounds()
    {
        int n = Environment.GetEnvironmentVariable("MESFAST_SOAK") == "1" ? 200_000 : 2_000;
        var (h, alice, coins) = Funded(n);
        var bob = new TestKey();
        const int maxCount = 500;
        long maxBytes = 500L * (300 + PooledTx.Overhead);
        using var pool = NewPool(h, maxCount, maxBytes);
        var rng = new Random(TestSeeds.Get(6));
        var pending = new List<Task<SubmitResult>>();
        int busy = 0;
        for (int i = 0; i < n; i++)
        {
            var tx = h.Transfer(alice, [coins[i]], 1_000_000, bob.Address, 10, extraFee: (ulong)rng.Next(0, 100_000));
            var submit = pool.SubmitAsync(tx.ToBytes()).AsTask();
            if (submit.IsCompletedSuccessfully && (await submit).Code == MempoolErrors.Busy) busy++;
            else pending.Add(submit);
            Assert.InRange(pool.Count, 0, maxCount);
            Assert.InRange(pool.Bytes, 0, maxBytes);
        }
        var results = await Task.WhenAll(pending);
        Assert.Equal(maxCount, pool.Count);
        Assert.InRange(pool.Bytes, 0, maxBytes);
        Assert.All(results, r => Assert.True(r.Accepted || r.Code is MempoolErrors.Full, r.Code));
        // The survivors are the best fee rates among those that reached admission.
        var kept = new List<PooledTx>();
        pool.SelectForBlock(maxCount, long.MaxValue, kept);
        Assert.Equal(maxCount, kept.Count);
        Assert.True(busy < n, "every submission was refused as busy");
        // Every refusal is counted under its code (the node exports these as mes_mempool_refused_total).
        var refusals = new Dictionary<string, long>(pool.Refusals);
        Assert.Equal(busy, refusals.GetValueOrDefault(MempoolErrors.Busy));
        Assert.Equal(results.Count(r => r.Code == MempoolErrors.Full), refusals.GetValueOrDefault(MempoolErrors.Full));
    }
}
