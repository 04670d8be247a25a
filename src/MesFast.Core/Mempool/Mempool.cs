using System.Collections.Concurrent;
using System.Threading.Channels;
using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Threading;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>
/// The transaction pool (PROTOCOL §7.6). Admission = decode and limits, duplicate check, signature verification
/// (batched across concurrent submitters), the ledger's rules at the next height (inputs exist, value, fee),
/// conflict check (first seen wins), then the memory bound (a better fee rate evicts the worst).
/// Concurrency: the ordered structures change only under <c>_lock</c>; txid lookups go through a
/// ConcurrentDictionary so RPC reads and the block's signature-cache checks never wait for admission.
/// </summary>
public sealed class Mempool : ISignatureCache, IDisposable
{
    private readonly MempoolOptions _options;
    private readonly ITxChecker _checker;
    // Many lock stripes: admission adds and the chain thread removes thousands per block at the same time.
    private readonly ConcurrentDictionary<Hash32, PooledTx> _byId = new(concurrencyLevel: 64, capacity: 16_384);
    private readonly Dictionary<TxInput, PooledTx> _spentBy = [];
    private readonly SortedSet<PooledTx> _byRate = new(Comparer<PooledTx>.Create(PooledTx.CompareByRate));
    private readonly ExpiryQueue _byExpiry = new();
    private readonly Lock _lock = new();
    // 64 blocks: admission lags block execution by seconds at most (its queue is bounded), blocks come every ~0.5 s.
    private readonly RecentlyIncluded _included = new(maxBlocks: 64, maxTxIds: 1 << 18);
    private readonly Channel<Submission> _queue;
    private readonly Thread _admission;
    private readonly CancellationTokenSource _stop = new();
    // Refusals by code since start (for /metrics). A long value is updated in place (no node per update).
    private readonly ConcurrentDictionary<string, long> _refusals = new(StringComparer.Ordinal);
    private long _bytes;
    // Pooled transactions (= _byId.Count, which takes all 64 stripe locks: 5.6 % of admission's CPU when checked per
    // transaction). Changed only under _lock; read without it.
    private int _count;
    private int _disposed;
    private long _arrivals;
    private ulong _nextHeight;

    public Mempool(MempoolOptions options, ITxChecker checker, ulong nextHeight)
    {
        _options = options;
        _checker = checker;
        _nextHeight = nextHeight;
        _queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(options.QueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _admission = new Thread(AdmitLoop) { IsBackground = true, Name = "mesd-admission" };
        _admission.Start();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Submissions queued for admission (not yet decided).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Submissions refused since start, by error code (a snapshot).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Refusals => _refusals.ToArray();

    private void CountRefusal(string code) => _refusals.AddOrUpdate(code, 1, static (_, n) => n + 1);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Height of the next block: expiry and the ledger's rules are judged at it.</summary>
    public ulong NextHeight
    {
        get
        {
            lock (_lock) return _nextHeight;
        }
    }

    /// <summary>A pooled transaction, or one whose block is final but not yet durable here (still "pending" to callers).</summary>
    public bool TryGet(in Hash32 txid, out PooledTx? tx) => _byId.TryGetValue(txid, out tx) || _finalizing.TryGetValue(txid, out tx);

    /// <summary>
    /// Included transactions of final blocks the node has not made durable yet (the block log commits off the chain
    /// thread): callers still find them, as pending, until <see cref="OnBlocksDurable"/> (then the block log has them).
    /// </summary>
    private readonly ConcurrentDictionary<Hash32, PooledTx> _finalizing = new();
    private readonly ConcurrentQueue<(ulong Height, List<Hash32> TxIds)> _finalizingByHeight = new();

    /// <summary>Blocks up to <paramref name="height"/> are durable: their transactions are answered by the block log now.</summary>
    public void OnBlocksDurable(ulong height)
    {
        while (_finalizingByHeight.TryPeek(out var oldest) && oldest.Height <= height && _finalizingByHeight.TryDequeue(out oldest))
            foreach (var txid in oldest.TxIds) _finalizing.TryRemove(txid, out _);
    }

    public bool WasVerified(in Hash32 txid, ReadOnlySpan<byte> fullEncoding) =>
        _byId.TryGetValue(txid, out var tx) && fullEncoding.SequenceEqual(tx.Bytes);

    /// <summary>
    /// Queues a submission for batched admission; refuses at once with "busy" when the queue is full. A queued
    /// submission is always answered within its batch (or when the pool stops), so <paramref name="cancellation"/>
    /// only keeps a cancelled caller from queueing: waiting on it per transaction cost a registration each.
    /// </summary>
    public ValueTask<SubmitResult> SubmitAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellation = default) =>
        SubmitOwnedAsync(raw.ToArray(), cancellation);

    /// <summary>
    /// <see cref="SubmitAsync"/> for an array the caller hands over: the pool keeps it (no copy), so it must never
    /// change afterwards.
    /// </summary>
    public ValueTask<SubmitResult> SubmitOwnedAsync(byte[] raw, CancellationToken cancellation = default)
    {
        if (cancellation.IsCancellationRequested) return ValueTask.FromCanceled<SubmitResult>(cancellation);
        if (_stop.IsCancellationRequested) return ValueTask.FromResult(SubmitResult.Refused(MempoolErrors.ShuttingDown, "the node is stopping"));
        var submission = new Submission(raw);
        if (!_queue.Writer.TryWrite(submission))
            return ValueTask.FromResult(Refuse(MempoolErrors.Busy, $"the admission queue is full ({_options.QueueLimit}); retry shortly"));
        return new ValueTask<SubmitResult>(submission.Task);
    }

    /// <summary>
    /// Queues <paramref name="raw"/> (ownership passes to the pool) for batched admission; the outcome goes to
    /// <paramref name="callback"/> on the admission thread, or at once on this thread when the queue is full or the
    /// node is stopping. <paramref name="state"/> and <paramref name="tag"/> are handed back with it.
    /// </summary>
    public void Submit(byte[] raw, IAdmissionCallback callback, object? state, in Hash32 tag = default)
    {
        var submission = new Submission(raw, callback, state, tag);
        if (_stop.IsCancellationRequested) submission.Complete(SubmitResult.Refused(MempoolErrors.ShuttingDown, "the node is stopping"));
        else if (!_queue.Writer.TryWrite(submission))
            submission.Complete(Refuse(MempoolErrors.Busy, $"the admission queue is full ({_options.QueueLimit}); retry shortly"));
    }

    /// <summary>Admits one transaction on the calling thread.</summary>
    public SubmitResult Submit(ReadOnlySpan<byte> raw)
    {
        var batch = new[] { new Submission(raw.ToArray()) };
        var outcome = new List<(Submission, SubmitResult)>(1);
        AdmitBatch(batch, outcome);
        Release(outcome); // on this thread: the caller waits for it anyway
        return batch[0].Task.Result;
    }

    /// <summary>The best transactions by fee rate within the block limits (they never conflict: the pool holds no conflicts).</summary>
    public int SelectForBlock(int maxTxs, long maxBytes, List<PooledTx> destination)
    {
        int added = 0;
        long bytes = 0;
        lock (_lock)
        {
            foreach (var tx in _byRate)
            {
                if (added == maxTxs) break;
                if (tx.ValidUntil < _nextHeight) continue;
                if (bytes + tx.Bytes.Length > maxBytes) continue;
                destination.Add(tx);
                bytes += tx.Bytes.Length;
                added++;
            }
        }
        return added;
    }

    /// <summary>
    /// A block became final at <paramref name="height"/>: drops its transactions, pooled transactions that spend
    /// what it spent, and transactions that can no longer be included (validUntil ≤ height).
    /// </summary>
    public void OnBlockCommitted(ulong height, Hash32[] includedTxIds, ReadOnlySpan<TxInput> spentOutpoints)
    {
        _included.Add(includedTxIds);
        // Removed in slices, releasing the lock between them: a full block is thousands of sorted-set removals
        // (milliseconds), and admission, which needs the same lock for every transaction, would spin on it meanwhile.
        // In between, admission sees the pool partly updated: still at the old height, so it may admit a transaction
        // spending an input this block spent; the spent-outpoint pass below removes such conflicts.
        var finalizing = new List<Hash32>();
        for (int start = 0; start < includedTxIds.Length; start += RemovalSlice)
        {
            var slice = includedTxIds.AsSpan(start, Math.Min(RemovalSlice, includedTxIds.Length - start));
            lock (_lock)
                foreach (var txid in slice)
                {
                    if (!_byId.TryGetValue(txid, out var tx)) continue;
                    _finalizing[txid] = tx; // before it leaves the pool, so a caller always finds it in one of the two
                    finalizing.Add(txid);
                    RemoveLocked(tx);
                }
        }
        _finalizingByHeight.Enqueue((height, finalizing));
        lock (_lock)
        {
            foreach (var outpoint in spentOutpoints)
                if (_spentBy.TryGetValue(outpoint, out var conflicting)) RemoveLocked(conflicting);
            _nextHeight = height + 1;
            while (_byExpiry.NextExpired(_nextHeight) is { } expired) RemoveLocked(expired);
        }
    }

    /// <summary>Transactions removed per lock hold when a block commits.</summary>
    private const int RemovalSlice = 256;

    /// <summary>Removes one transaction (e.g. the block builder found it invalid against the state).</summary>
    public bool Remove(in Hash32 txid)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(txid, out var tx)) return false;
            RemoveLocked(tx);
            return true;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _queue.Writer.TryComplete();
        _admission.Join(TimeSpan.FromSeconds(5));
        while (_queue.Reader.TryRead(out var left))
            left.Complete(SubmitResult.Refused(MempoolErrors.ShuttingDown, "the node is stopping"));
        _stop.Dispose();
    }

    /// <summary>Admission waits briefly for more submissions when fewer than this are queued.</summary>
    private const int CoalesceBelow = 32;

    /// <summary>
    /// The admission thread. It runs at a lower CPU priority (<see cref="BackgroundPriority"/>): on a saturated host
    /// the work of blocks already proposed (building, executing, voting, committing: on the path of every admitted
    /// transaction) goes first, in this process and in any other node on the machine, and admission takes the rest.
    /// </summary>
    private void AdmitLoop()
    {
        BackgroundPriority.TryLowerCurrentThread();
        var batch = new List<Submission>(_options.BatchSize);
        try
        {
            while (WaitForSubmissions())
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var s)) batch.Add(s);
                if (batch.Count < CoalesceBelow)
                {
                    // Submissions come in bursts (an RPC batch, a gossip frame) whose producer may still be queueing
                    // when this loop wakes on the first one: a millisecond lets the burst land, so its signatures
                    // are verified as one batch (several times cheaper per signature than one by one).
                    Thread.Sleep(1);
                    while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var s)) batch.Add(s);
                }
                try
                {
                    AdmitBatch(batch);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A bug in admission must not stall every later submitter; each waiting caller gets the error.
                    foreach (var s in batch)
                        if (!s.Decided) s.Complete(SubmitResult.Refused("internal", $"admission failed: {e.Message}"));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping (Dispose gives this thread 5 s before it disposes the token).
        }
    }

    /// <summary>Blocks until a submission is queued (true) or the pool stops (false).</summary>
    private bool WaitForSubmissions()
    {
        var ready = _queue.Reader.WaitToReadAsync(_stop.Token);
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Decodes every submission, verifies all their signatures in one batch, then admits them in order. Callback
    /// submissions hear their outcome here; awaiting callers are released together by one thread-pool work item
    /// (their continuations then run there, never on the admission thread, and not as a work item each).
    /// </summary>
    private void AdmitBatch(IReadOnlyList<Submission> batch)
    {
        var awaiting = new List<(Submission, SubmitResult)>();
        try
        {
            AdmitBatch(batch, awaiting);
        }
        finally
        {
            if (awaiting.Count > 0) ThreadPool.UnsafeQueueUserWorkItem(Release, awaiting, preferLocal: false);
        }
    }

    /// <summary>A refusal before the submission reaches admission (the queue is full), counted.</summary>
    private SubmitResult Refuse(string code, string message)
    {
        CountRefusal(code);
        return SubmitResult.Refused(code, message);
    }

    private static void Release(List<(Submission Submission, SubmitResult Result)> outcomes)
    {
        foreach (var (submission, result) in outcomes) submission.Complete(result);
    }

    private void AdmitBatch(IReadOnlyList<Submission> batch, List<(Submission, SubmitResult)> awaiting)
    {
        void Answer(Submission s, SubmitResult result)
        {
            s.Decided = true;
            if (!result.Accepted) CountRefusal(result.Code);
            if (s.HasCallback) s.Complete(result);
            else awaiting.Add((s, result));
        }

        var signatures = AdmissionSignatures.Rent();
        var txids = new Hash32[batch.Count];
        var decoded = new bool[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            var s = batch[i];
            if (!TxView.TryDecode(s.Raw, out var view, out var failure))
            {
                Answer(s, SubmitResult.Refused(MempoolErrors.Decode, failure.ToString()));
                continue;
            }
            txids[i] = DomainHash.Compute(DomainHash.Tx, view.UnsignedBytes);
            if (_byId.ContainsKey(txids[i]))
            {
                Answer(s, SubmitResult.Refused(MempoolErrors.Duplicate, "the transaction is already in the pool", txids[i]));
                continue;
            }
            if (_included.Contains(txids[i]))
            {
                Answer(s, SubmitResult.Refused(MempoolErrors.Duplicate, "the transaction is already in a final block", txids[i]));
                continue;
            }
            decoded[i] = true;
            signatures.Add(view, txids[i], i);
        }
        var badSignature = signatures.VerifyAll(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            if (!decoded[i]) continue;
            var s = batch[i];
            if (badSignature[i])
            {
                Answer(s, SubmitResult.Refused(MempoolErrors.BadSignature, "a witness signature does not verify over the txid", txids[i]));
                continue;
            }
            Answer(s, Admit(s.Raw, txids[i]));
        }
    }

    private SubmitResult Admit(byte[] raw, in Hash32 txid)
    {
        TxView.TryDecode(raw, out var view, out _);
        lock (_lock)
        {
            if (_byId.ContainsKey(txid)) return SubmitResult.Refused(MempoolErrors.Duplicate, "the transaction is already in the pool", txid);
            if (view.ValidUntil < _nextHeight)
                return SubmitResult.Refused(MempoolErrors.Expired, $"valid until height {view.ValidUntil}, the next block is {_nextHeight}", txid);
            if (!_checker.TryCheck(view, _nextHeight, out ulong fee, out var rejection))
                return SubmitResult.Refused(rejection.Code, rejection.Message, txid);
            var inputs = new TxInput[view.InputCount];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = view.Input(i);
                if (_spentBy.TryGetValue(inputs[i], out var holder))
                    return SubmitResult.Refused(MempoolErrors.Conflict, $"input {i} is already spent by pooled transaction {holder.TxId} (first seen wins)", txid);
            }
            var tx = new PooledTx(txid, raw, fee, view.ValidUntil, inputs, ++_arrivals);
            if (!MakeRoomLocked(tx))
                return SubmitResult.Refused(MempoolErrors.Full, "the pool is full and this fee rate is not above the lowest pooled one", txid);
            _byId[txid] = tx;
            _count++;
            _byRate.Add(tx);
            _byExpiry.Add(tx);
            foreach (var input in inputs) _spentBy[input] = tx;
            Interlocked.Add(ref _bytes, tx.HeldBytes);
            return SubmitResult.Ok(txid);
        }
    }

    /// <summary>Evicts the lowest fee rates while the new transaction would exceed a limit and pays more than them.</summary>
    private bool MakeRoomLocked(PooledTx incoming)
    {
        while (_count + 1 > _options.MaxCount || _bytes + incoming.HeldBytes > _options.MaxBytes)
        {
            var worst = _byRate.Max;
            if (worst is null || PooledTx.CompareByRate(incoming, worst) >= 0 || !HigherRate(incoming, worst)) return false;
            RemoveLocked(worst);
        }
        return true;
    }

    private static bool HigherRate(PooledTx a, PooledTx b) =>
        (UInt128)a.Fee * (ulong)b.Bytes.Length > (UInt128)b.Fee * (ulong)a.Bytes.Length;

    private void RemoveLocked(PooledTx tx)
    {
        if (!_byId.TryRemove(tx.TxId, out _)) return;
        _count--;
        _byRate.Remove(tx);
        _byExpiry.Removed(tx);
        foreach (var input in tx.Inputs)
            if (_spentBy.TryGetValue(input, out var holder) && ReferenceEquals(holder, tx)) _spentBy.Remove(input);
        Interlocked.Add(ref _bytes, -tx.HeldBytes);
    }

    /// <summary>
    /// One queued transaction and who hears the outcome: an awaiting caller (a task; admission releases a batch's
    /// callers from a thread-pool work item, so their continuations never run on the admission thread) or a callback
    /// run on the admission thread (no task, no thread-pool hop per transaction: the path of transactions from peers).
    /// </summary>
    private sealed class Submission
    {
        private readonly IAdmissionCallback? _callback;
        private readonly object? _state;
        private readonly Hash32 _tag;
        private readonly TaskCompletionSource<SubmitResult>? _completion;
        private int _completed;

        public Submission(byte[] raw)
        {
            Raw = raw;
            _completion = new();
        }

        public Submission(byte[] raw, IAdmissionCallback callback, object? state, in Hash32 tag)
        {
            Raw = raw;
            _callback = callback;
            _state = state;
            _tag = tag;
        }

        public byte[] Raw { get; }

        public bool HasCallback => _callback is not null;

        /// <summary>Admission reached its outcome (an awaiting caller may not have been released yet); admission thread only.</summary>
        public bool Decided { get; set; }

        public Task<SubmitResult> Task => _completion?.Task ?? throw new InvalidOperationException("a callback submission has no task");

        /// <summary>Delivers the outcome once; later calls are ignored (as TrySetResult would).</summary>
        public void Complete(SubmitResult result)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0) return;
            if (_completion is not null) _completion.TrySetResult(result);
            else _callback!.OnAdmission(result, Raw, _state, _tag);
        }
    }
}
