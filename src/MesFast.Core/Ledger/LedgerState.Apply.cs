using System.Buffers;
using MesFast.Core.Codec;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

public sealed partial class LedgerState
{
    /// <summary>The ops of the block being applied (applying is single-writer: one list, reused).</summary>
    private readonly List<LedgerOp> _opScratch = [];

    private BlockInputs? _blockInputs;

    /// <summary>
    /// Validates a whole block against the state and, when valid, applies it: spends and creates per shard in
    /// parallel, adds the reward output (fees + subsidy to <paramref name="rewardAddress"/>), updates LtHashes and
    /// the height. An invalid block changes nothing. Header roots (txRoot, stateRoot) are the caller's to compare.
    /// </summary>
    /// <param name="verified">transactions whose signatures were already checked (mempool); null = verify all.</param>
    public bool TryApplyBlock(in BlockView block, in Address rewardAddress, ISignatureCache? verified,
        out BlockApplyResult? result, out BlockRejection rejection, PendingVerification? pending = null) =>
        TryApplyBlock(block, BlockRewardRecipients.ProposerOnly(rewardAddress), verified, out result, out rejection, pending);

    /// <summary>
    /// <see cref="TryApplyBlock(in BlockView, in Address, ISignatureCache?, out BlockApplyResult?, out BlockRejection, PendingVerification?)"/>
    /// with the DPoS reward split (PROTOCOL §11.4): the proposer less its voters' share, a share to the lastCommit signers.
    /// </summary>
    public bool TryApplyBlock(in BlockView block, BlockRewardRecipients rewards, ISignatureCache? verified,
        out BlockApplyResult? result, out BlockRejection rejection, PendingVerification? pending = null)
    {
        result = null;
        var header = block.Header;
        ulong expected = _nextHeight;
        if (header.ChainId != Rules.ChainId || header.Height != expected)
        {
            pending?.Dispose();
            return header.ChainId != Rules.ChainId
                ? Reject(-1, LedgerErrors.WrongChain, $"block chain id {header.ChainId}, this chain is {Rules.ChainId}", out rejection)
                : Reject(-1, LedgerErrors.WrongHeight, $"block height {header.Height}, the next height is {expected}", out rejection);
        }

        // Single writer (applying mutates the state), so one scratch list serves every block.
        var ops = _opScratch;
        ops.Clear();
        // Signatures need only the block's bytes: they are checked on other cores while this thread validates and
        // applies (a bad one then reverts the application, so an invalid block still changes nothing). A replay
        // starts the next block's verification before applying this one (BeginVerification), keeping cores busy.
        if (pending is not null && !pending.Matches(block))
        {
            pending.Dispose(); // started for another block: of no use here
            pending = null;
        }
        using var verification = pending ?? BeginVerification(block, verified);
        Interlocked.Add(ref _blockSignaturesVerified, verification.SignatureCount); // read by /metrics on other threads
        var txIds = verification.TxIds;
        var txFees = new ulong[txIds.Length];
        ulong fees = 0;
        bool valid;
        if (expected == 0)
        {
            valid = TryCollectGenesis(block, ops, txIds, out rejection);
        }
        else
        {
            var staking = new StakingOverlay(this);
            valid = TryCollectTransactions(block, expected, ops, txIds, txFees, staking, out fees, out rejection);
            if (valid && ulong.MaxValue - fees < Rules.BlockSubsidy)
                valid = Reject(-1, LedgerErrors.RewardOverflow, "fees plus subsidy exceed 2^64 - 1", out rejection);
            if (valid)
            {
                AddRewards(fees + Rules.BlockSubsidy, expected, rewards, staking, ops);
                staking.CollectOps(ops);
            }
        }
        if (!valid)
        {
            verification.Wait();
            return false;
        }

        int opCount = ops.Count;
        var opArray = LedgerOpPool.Rent(opCount);
        ops.CopyTo(opArray);
        ops.Clear(); // drops the asset and record references it held
        PlaceOps(opArray, opCount);
        var previous = new LtHash[_ltHashes.Length];
        for (int s = 0; s < previous.Length; s++) previous[s] = _ltHashes[s].Clone();
        ApplyOps(opArray, opCount, forward: true);
        int bad = verification.Wait();
        if (bad >= 0)
        {
            ApplyOps(opArray, opCount, forward: false);
            LedgerOpPool.Return(opArray);
            for (int s = 0; s < _ltHashes.Length; s++) _ltHashes[s] = previous[s];
            _stateRoot = null;
            return Reject(bad, LedgerErrors.BadSignature, "a witness signature does not verify over the txid", out rejection);
        }
        result = new BlockApplyResult(expected, Height, previous, opArray, opCount, txIds, txFees, fees);
        Volatile.Write(ref _nextHeight, expected + 1);
        _stateRoot = null;
        rejection = default;
        return true;
    }

    private long _blockSignaturesVerified;

    /// <summary>
    /// Signatures verified for blocks this ledger applied: those of transactions the signature cache (the mempool)
    /// did not vouch for. When admission lags, block application does its work on the chain's critical path.
    /// </summary>
    public long BlockSignaturesVerified => Interlocked.Read(ref _blockSignaturesVerified);

    /// <summary>
    /// Starts verifying a block's signatures on other cores (they depend only on its bytes, not on the state) and
    /// hashes its txids. Pass the result to <see cref="TryApplyBlock"/> for that block; a replay starts block h+1's
    /// verification before applying block h. Dispose it if it is never used.
    /// </summary>
    public static PendingVerification BeginVerification(in BlockView block, ISignatureCache? verified)
    {
        var txIds = ComputeTxIds(block);
        var signatures = new SignatureBatch();
        if (block.Header.Height > 0) signatures.AddBlock(block, txIds, verified);
        Task<int> task = signatures.Count == 0 ? Task.FromResult(-1) : Task.Run(signatures.FirstInvalidTx);
        return new PendingVerification(PendingVerification.EncodingHash(block), txIds, signatures, task);
    }

    /// <summary>Undoes the last applied block exactly (state records, LtHashes, height, address index) and disposes <paramref name="applied"/>.</summary>
    public void Revert(BlockApplyResult applied)
    {
        if (Height != applied.Height) throw new InvalidOperationException($"revert of block {applied.Height} while the ledger is at {Height}");
        ApplyOps(applied.Ops, applied.OpCount, forward: false);
        applied.Dispose();
        for (int s = 0; s < _ltHashes.Length; s++) _ltHashes[s] = applied.PreviousLtHashes[s].Clone();
        Volatile.Write(ref _nextHeight, applied.PreviousHeight is { } previous ? previous + 1 : 0);
        _stateRoot = null;
    }

    /// <summary>Merkle root of the block's txids (DESIGN §4).</summary>
    public static Hash32 ComputeTxRoot(in BlockView block)
    {
        var txIds = new Hash32[block.TxCount];
        int i = 0;
        foreach (var tx in block.Transactions) txIds[i++] = DomainHash.Compute(DomainHash.Tx, tx.UnsignedBytes);
        return MerkleTree.ComputeRoot(txIds);
    }

    private bool TryCollectGenesis(in BlockView block, List<LedgerOp> ops, Hash32[] txIds, out BlockRejection rejection)
    {
        if (block.TxCount != 1)
            return Reject(-1, LedgerErrors.BadGenesis, $"block 0 holds exactly one transaction, found {block.TxCount}", out rejection);
        foreach (var tx in block.Transactions)
        {
            if (tx.ChainId != Rules.ChainId || tx.Kind != TxKind.Transfer || tx.InputCount != 0 || tx.WitnessCount != 0 || tx.PayloadLength != 0)
                return Reject(0, LedgerErrors.BadGenesis, "the genesis transaction is a Transfer of this chain with no inputs, witnesses or payload", out rejection);
            txIds[0] = DomainHash.Compute(DomainHash.Tx, tx.UnsignedBytes);
            for (int i = 0; i < tx.OutputCount; i++)
            {
                var output = tx.Output(i);
                if (output.Asset != Hash32.Zero || output.Amount == 0)
                    return Reject(0, LedgerErrors.BadGenesis, $"genesis output {i}: only positive MES amounts", out rejection);
                var outpoint = new TxInput(txIds[0], (ushort)i);
                ops.Add(new LedgerOp(LedgerOpKind.CreateUtxo, -1, outpoint, new UtxoEntry(Hash32.Zero, output.Amount, output.Owner, 0), null));
            }
        }
        rejection = default;
        return true;
    }

    /// <summary>
    /// Splits a block's reward (PROTOCOL §11.4): outputs at <c>(H(tx, "reward" ‖ u64 height), i)</c>, index 0 the
    /// proposer, then each further distinct signer address in signer order (amounts for one address merged, so a
    /// one-witness chain still gets exactly one output); the voters' share raises the proposer candidate's index.
    /// </summary>
    private void AddRewards(ulong reward, ulong height, BlockRewardRecipients rewards, StakingOverlay staking, List<LedgerOp> ops)
    {
        var candidate = rewards.ProposerNodeKey is { } nodeKey ? staking.Candidate(nodeKey) : null;
        var signers = rewards.LastCommitSigners;
        var split = RewardSplit.Compute(reward, Rules.Dpos.LastCommitShareBps, signers.Length,
            candidate?.VoterShareBps ?? 0, candidate?.Weight ?? 0);
        if (split.Voters > 0)
            staking.SetCandidate(candidate! with { RewardIndex = candidate.RewardIndex + RewardIndex.Increment(split.Voters, candidate.Weight) });

        var addresses = new List<Address>(signers.Length + 1) { rewards.Proposer };
        var amounts = new List<ulong>(signers.Length + 1) { split.Proposer };
        foreach (var signer in signers)
        {
            int at = addresses.IndexOf(signer);
            if (at < 0)
            {
                addresses.Add(signer);
                amounts.Add(split.PerSigner);
            }
            else
            {
                amounts[at] += split.PerSigner; // the parts sum to the reward, a u64: no overflow
            }
        }
        var txid = RewardOutpoint(height).TxId;
        for (int i = 0; i < addresses.Count; i++)
            if (amounts[i] > 0)
                ops.Add(new LedgerOp(LedgerOpKind.CreateUtxo, -1, new TxInput(txid, (ushort)i),
                    new UtxoEntry(Hash32.Zero, amounts[i], addresses[i], height), null));
    }

    private bool TryCollectTransactions(in BlockView block, ulong height, List<LedgerOp> ops,
        Hash32[] txIds, ulong[] txFees, StakingOverlay staking, out ulong fees, out BlockRejection rejection)
    {
        fees = 0;
        var source = _blockInputs ??= new BlockInputs(this);
        source.Clear();
        var resolved = new UtxoEntry[ProtocolLimits.MaxInputs];
        {
            int index = 0;
            foreach (var tx in block.Transactions)
            {
                var txid = txIds[index];
                if (!TxRules.TryCheck(tx, height, Rules, source, resolved, staking, txid, out ulong fee, out var issued, out var staked, out var txRejection))
                    return Reject(index, txRejection.Code, txRejection.Message, out rejection);
                if (ulong.MaxValue - fees < fee) return Reject(index, LedgerErrors.RewardOverflow, "block fees exceed 2^64 - 1", out rejection);
                fees += fee;
                txFees[index] = fee;

                for (int i = 0; i < tx.InputCount; i++)
                {
                    var input = tx.Input(i);
                    source.Spend(input);
                    ops.Add(new LedgerOp(LedgerOpKind.SpendUtxo, -1, input, resolved[i], null));
                }
                Hash32 assetId = default;
                if (issued is not null)
                {
                    assetId = AssetPlaceholder.AssetIdOf(txid);
                    var record = new AssetRecord(assetId, issued.Name, issued.Symbol, issued.Decimals, issued.Supply,
                        resolved[0].Owner, issued.MetadataHash, txid, height);
                    ops.Add(new LedgerOp(LedgerOpKind.CreateAsset, -1, default, default, record));
                }
                for (int i = 0; i < tx.OutputCount; i++)
                {
                    var output = tx.Output(i);
                    var asset = issued is not null && output.Asset == AssetPlaceholder.Value ? assetId : output.Asset;
                    var outpoint = new TxInput(txid, (ushort)i);
                    var entry = new UtxoEntry(asset, output.Amount, output.Owner, height);
                    source.Create(outpoint, entry);
                    ops.Add(new LedgerOp(LedgerOpKind.CreateUtxo, -1, outpoint, entry, null));
                }
                if (staked is not null)
                {
                    staked.ApplyTo(staking);
                    // A module release is an extra output right after the transaction's own (PROTOCOL §11.2).
                    if (staked.Released > 0)
                    {
                        var outpoint = new TxInput(txid, (ushort)tx.OutputCount);
                        var entry = new UtxoEntry(Hash32.Zero, staked.Released, staked.ReleaseOwner, height);
                        source.Create(outpoint, entry);
                        ops.Add(new LedgerOp(LedgerOpKind.CreateUtxo, -1, outpoint, entry, null));
                    }
                }
                index++;
            }
            rejection = default;
            return true;
        }
    }

    /// <summary>Transaction ids of a block (the unsigned encodings hashed many at a time across SIMD lanes).</summary>
    private static Hash32[] ComputeTxIds(in BlockView block)
    {
        var txIds = new Hash32[block.TxCount];
        if (txIds.Length == 0) return txIds;
        int total = 0;
        foreach (var tx in block.Transactions) total += tx.UnsignedBytes.Length;
        byte[] messages = ArrayPool<byte>.Shared.Rent(total);
        int[] offsets = ArrayPool<int>.Shared.Rent(txIds.Length + 1);
        try
        {
            int i = 0, at = 0;
            foreach (var tx in block.Transactions)
            {
                offsets[i++] = at;
                tx.UnsignedBytes.CopyTo(messages.AsSpan(at));
                at += tx.UnsignedBytes.Length;
            }
            offsets[i] = at;
            Blake3Batch.Hash(DomainHash.Tx, messages.AsSpan(0, total), offsets.AsSpan(0, txIds.Length + 1), txIds);
            return txIds;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(messages);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>Fills in every op's shard, hashing all the block's record keys in one batch.</summary>
    private void PlaceOps(LedgerOp[] ops, int count)
    {
        byte[] keys = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * RecordKeys.MaxKeySize));
        int[] offsets = ArrayPool<int>.Shared.Rent(count + 1);
        int[] shards = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        try
        {
            int at = 0;
            for (int i = 0; i < count; i++)
            {
                offsets[i] = at;
                if (ops[i].Kind == LedgerOpKind.CreateAsset)
                {
                    RecordKeys.WriteAssetKey(ops[i].Asset!.Id, keys.AsSpan(at));
                    at += RecordKeys.AssetKeySize;
                }
                else if (ops[i].Kind == LedgerOpKind.PutRecord)
                {
                    ops[i].Record!.Key.CopyTo(keys.AsSpan(at));
                    at += ops[i].Record!.Key.Length;
                }
                else
                {
                    RecordKeys.WriteUtxoKey(ops[i].Outpoint, keys.AsSpan(at));
                    at += RecordKeys.UtxoKeySize;
                }
            }
            offsets[count] = at;
            Map.ShardsOf(keys.AsSpan(0, at), offsets.AsSpan(0, count + 1), shards.AsSpan(0, count));
            for (int i = 0; i < count; i++) ops[i] = ops[i] with { Shard = shards[i] };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(shards);
        }
    }

    /// <summary>
    /// Runs a block's ops shard by shard in parallel; forward applies, backward undoes in reverse order. Store
    /// writes keep block order within a shard; LtHash changes (order-independent) are batched per shard.
    /// </summary>
    private void ApplyOps(LedgerOp[] ops, int count, bool forward)
    {
        // Counting sort by shard keeps each shard's ops in block order.
        int shards = _shards.Length;
        var starts = new int[shards + 1];
        for (int i = 0; i < count; i++) starts[ops[i].Shard + 1]++;
        for (int s = 0; s < shards; s++) starts[s + 1] += starts[s];
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        var next = (int[])starts.Clone();
        for (int i = 0; i < count; i++) order[next[ops[i].Shard]++] = i;
        try
        {
            Parallel.For(0, shards, s => ApplyShard(s, ops, order, starts[s], starts[s + 1], forward));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private void ApplyShard(int shard, LedgerOp[] ops, int[] order, int from, int to, bool forward)
    {
        var store = _shards[shard];
        const int recordSize = RecordKeys.UtxoKeySize + UtxoRecord.Size;
        int count = to - from;
        byte[] added = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * recordSize));
        byte[] removed = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * recordSize));
        int[] addedOffsets = ArrayPool<int>.Shared.Rent(count + 1);
        int[] removedOffsets = ArrayPool<int>.Shared.Rent(count + 1);
        int adds = 0, removes = 0, addedBytes = 0, removedBytes = 0;
        try
        {
            for (int k = 0; k < count; k++)
            {
                var op = ops[order[forward ? from + k : to - 1 - k]];
                bool create = (op.Kind != LedgerOpKind.SpendUtxo) == forward;
                if (op.Kind == LedgerOpKind.CreateAsset)
                {
                    ApplyAsset(store, _ltHashes[shard], op.Asset!, create);
                    continue;
                }
                if (op.Kind == LedgerOpKind.PutRecord)
                {
                    var change = op.Record!;
                    ApplyRecord(store, _ltHashes[shard], change.Key, forward ? change.Old : change.New, forward ? change.New : change.Old);
                    continue;
                }
                var record = (create ? added : removed).AsSpan(create ? addedBytes : removedBytes, recordSize);
                RecordKeys.WriteUtxoKey(op.Outpoint, record);
                UtxoRecord.Write(op.Entry, record[RecordKeys.UtxoKeySize..]);
                var key = record[..RecordKeys.UtxoKeySize];
                if (create)
                {
                    store.Insert(key, record[RecordKeys.UtxoKeySize..]);
                    addedOffsets[adds++] = addedBytes;
                    addedBytes += recordSize;
                    _addresses.Add(op.Entry.Owner, op.Outpoint);
                }
                else
                {
                    store.Remove(key);
                    removedOffsets[removes++] = removedBytes;
                    removedBytes += recordSize;
                    _addresses.Remove(op.Entry.Owner, op.Outpoint);
                }
            }
            addedOffsets[adds] = addedBytes;
            removedOffsets[removes] = removedBytes;
            if (adds > 0) _ltHashes[shard].AddMany(added.AsSpan(0, addedBytes), addedOffsets.AsSpan(0, adds + 1));
            if (removes > 0) _ltHashes[shard].RemoveMany(removed.AsSpan(0, removedBytes), removedOffsets.AsSpan(0, removes + 1));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(added);
            ArrayPool<byte>.Shared.Return(removed);
            ArrayPool<int>.Shared.Return(addedOffsets);
            ArrayPool<int>.Shared.Return(removedOffsets);
        }
    }

    private static void ApplyAsset(Core.Storage.IShardStore store, LtHash lt, AssetRecord asset, bool create)
    {
        var assetRecord = new byte[RecordKeys.AssetKeySize + asset.EncodedLength];
        RecordKeys.WriteAssetKey(asset.Id, assetRecord);
        asset.Encode(assetRecord.AsSpan(RecordKeys.AssetKeySize));
        var key = assetRecord.AsSpan(0, RecordKeys.AssetKeySize);
        if (create)
        {
            store.Insert(key, assetRecord.AsSpan(RecordKeys.AssetKeySize));
            lt.Add(assetRecord);
        }
        else
        {
            store.Remove(key);
            lt.Remove(assetRecord);
        }
    }

    /// <summary>Replaces a module record's value (null = absent) in the store, its LtHash and the candidate index.</summary>
    private void ApplyRecord(Core.Storage.IShardStore store, LtHash lt, byte[] key, byte[]? from, byte[]? to)
    {
        if (from is not null) lt.Remove([.. key, .. from]);
        if (to is not null)
        {
            store.Upsert(key, to);
            lt.Add([.. key, .. to]);
        }
        else
        {
            store.Delete(key);
        }
        if (key[0] == RecordKeys.CandidateType)
        {
            if (to is null) _candidates.Remove(key);
            else _candidates.Set(key, to);
        }
    }

    private static bool Reject(int txIndex, string code, string message, out BlockRejection rejection)
    {
        rejection = new BlockRejection(txIndex, code, message);
        return false;
    }

    /// <summary>
    /// Inputs as seen by a transaction inside a block: committed state plus earlier transactions of the block. One per
    /// ledger, cleared per block (its tables keep their capacity instead of regrowing for every block).
    /// </summary>
    private sealed class BlockInputs(LedgerState state) : IInputSource
    {
        private readonly Dictionary<TxInput, UtxoEntry> _created = [];
        private readonly HashSet<TxInput> _spent = [];

        public void Clear()
        {
            _created.Clear();
            _spent.Clear();
        }

        public bool TryResolve(in TxInput outpoint, out UtxoEntry entry, out string errorCode)
        {
            if (_spent.Contains(outpoint))
            {
                entry = default;
                errorCode = LedgerErrors.DoubleSpend;
                return false;
            }
            errorCode = LedgerErrors.MissingInput;
            return _created.TryGetValue(outpoint, out entry) || state.TryGetUtxo(outpoint, out entry);
        }

        public void Spend(in TxInput outpoint) => _spent.Add(outpoint);

        public void Create(in TxInput outpoint, in UtxoEntry entry) => _created[outpoint] = entry;
    }

    /// <summary>All witness signatures of a block that still need checking, in one batch across cores.</summary>
    internal sealed class SignatureBatch : IDisposable
    {
        private byte[] _keys = ArrayPool<byte>.Shared.Rent(32 * 64);
        private byte[] _signatures = ArrayPool<byte>.Shared.Rent(64 * 64);
        private byte[] _messages = ArrayPool<byte>.Shared.Rent(32 * 64);
        private int[] _txOf = ArrayPool<int>.Shared.Rent(64);
        private int _count;

        public int Count => _count;

        public void AddBlock(in BlockView block, Hash32[] txIds, ISignatureCache? verified)
        {
            int index = 0;
            foreach (var tx in block.Transactions)
            {
                if (verified is null || !verified.WasVerified(txIds[index], tx.Bytes)) Add(tx, txIds[index], index);
                index++;
            }
        }

        public void Add(in TxView tx, in Hash32 txid, int txIndex)
        {
            for (int w = 0; w < tx.WitnessCount; w++)
            {
                Grow();
                var witness = tx.Witness(w);
                witness.PublicKey.CopyTo(_keys.AsSpan(_count * 32));
                witness.Signature.CopyTo(_signatures.AsSpan(_count * 64));
                txid.CopyTo(_messages.AsSpan(_count * 32));
                _txOf[_count] = txIndex;
                _count++;
            }
        }

        /// <summary>Index of the first transaction with an invalid signature, or -1.</summary>
        public int FirstInvalidTx()
        {
            if (_count == 0) return -1;
            var valid = ArrayPool<bool>.Shared.Rent(_count);
            try
            {
                int invalid = _count >= 128
                    ? Ed25519Batch.VerifyParallel(_keys.AsSpan(0, _count * 32), _signatures.AsSpan(0, _count * 64), _messages.AsSpan(0, _count * 32), 32, valid.AsSpan(0, _count))
                    : Ed25519Batch.Verify(_keys.AsSpan(0, _count * 32), _signatures.AsSpan(0, _count * 64), _messages.AsSpan(0, _count * 32), 32, valid.AsSpan(0, _count));
                if (invalid == 0) return -1;
                for (int i = 0; i < _count; i++)
                    if (!valid[i]) return _txOf[i];
                return -1;
            }
            finally
            {
                ArrayPool<bool>.Shared.Return(valid);
            }
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_keys);
            ArrayPool<byte>.Shared.Return(_signatures);
            ArrayPool<byte>.Shared.Return(_messages);
            ArrayPool<int>.Shared.Return(_txOf);
        }

        private void Grow()
        {
            if (_count < _txOf.Length) return;
            _keys = Resize(_keys, _count * 32, _txOf.Length * 2 * 32);
            _signatures = Resize(_signatures, _count * 64, _txOf.Length * 2 * 64);
            _messages = Resize(_messages, _count * 32, _txOf.Length * 2 * 32);
            var txOf = ArrayPool<int>.Shared.Rent(_txOf.Length * 2);
            _txOf.AsSpan(0, _count).CopyTo(txOf);
            ArrayPool<int>.Shared.Return(_txOf);
            _txOf = txOf;
        }

        private static byte[] Resize(byte[] old, int used, int size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            old.AsSpan(0, used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(old);
            return bigger;
        }
    }
}
