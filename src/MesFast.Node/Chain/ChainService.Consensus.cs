using MesFast.Core;
using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Dpos;
using MesFast.Core.Ledger;
using MesFast.Core.Mempool;
using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Chain;

/// <summary>The node's side of SPBFT: building, executing and finalising blocks.</summary>
internal sealed partial class ChainService
{
    /// <summary>A checkpoint start that holds the chain thread this long is logged.</summary>
    private const long SlowCheckpointStartMs = 200;

    /// <summary>Room left in a block for the header, counts and certificate.</summary>
    private const int BlockOverheadBytes = 64 * 1024;

    private readonly List<PooledTx> _selection = [];

    /// <summary>Caps proposals by the measured cost of applying blocks here (set with the engine).</summary>
    private ProposalSizer _proposalSizer = new(3_000);

    /// <summary>The most transactions this node would propose now (maxBlockTxs, or lower on a slow host); any thread.</summary>
    public int ProposalTxLimit => _proposalSizer.Limit(_config.MaxBlockTxs);

    /// <summary>Measured cost of applying a transaction here, in milliseconds (0 before the first full block); any thread.</summary>
    public double ApplyMsPerTx => _proposalSizer.MsPerTx;

    /// <summary>
    /// N of the height's round; for a round not known yet (only up to the engine's few buffered heights ahead) the
    /// current N, so early messages are buffered rather than dropped (their signatures still need the round).
    /// </summary>
    public int WitnessCount(ulong height) => (_schedule.ForHeight(height) ?? _schedule.Current).Set.Count;

    public int SelfIndex(ulong height) => SelfIndexAt(height);

    /// <summary><c>order_r[(h + v) mod N]</c> of the height's round (PROTOCOL §11.7); -1 when the round is not known yet.</summary>
    public int Proposer(ulong height, uint view) => _schedule.ForHeight(height) is { } round ? round.Proposer(height, view) : -1;

    public byte[]? BuildProposal(ulong height, uint view, long nowMs)
    {
        if ((ulong)nowMs < _tipTimeMs + (ulong)Genesis.BlockIntervalMs) return null;
        var round = _schedule.Current;
        int self = SelfIndexAt(height);
        if (!round.Contains(height) || self < 0 || round.Proposer(height, view) != self) return null;
        ulong timeMs = Math.Max((ulong)nowMs, _tipTimeMs + 1);
        // A transaction the state refuses (its input was spent meanwhile) is dropped and the block rebuilt.
        for (int attempt = 0; attempt < 16; attempt++)
        {
            _selection.Clear();
            Mempool.SelectForBlock(_proposalSizer.Limit(_config.MaxBlockTxs), ProtocolLimits.MaxBlockBytes - BlockOverheadBytes, _selection);
            // The pool's encodings go into the block as they are (canonical: admission decoded them strictly).
            var encodings = new byte[_selection.Count][];
            var txids = new Hash32[_selection.Count];
            for (int i = 0; i < encodings.Length; i++)
            {
                encodings[i] = _selection[i].Bytes;
                txids[i] = _selection[i].TxId;
            }
            // The header has a fixed size, so the block's length is known before it is written: its fullness decides DEC.
            int length = Block.EncodedLengthOf(encodings, _lastCommit);
            var header = new BlockHeader
            {
                ChainId = Genesis.ChainId,
                Height = height,
                TimeMs = timeMs,
                View = view,
                Prev = _tipHash,
                TxRoot = MerkleTree.ComputeRoot(txids),
                Epoch = round.Epoch,
                WitnessSetHash = round.Set.Hash,
                Proposer = (ushort)self,
                NextWitnessCount = (ushort)_schedule.ExpectedNextWitnessCount(height, Dec.FullnessBps(length, encodings.Length)),
                LastCommitHash = CommitHash.Of(_lastCommit),
            };
            byte[] block = Block.Encode(header, encodings, _lastCommit);
            BlockView.TryDecode(block, out var draft, out _);
            if (!TryApplyMeasured(draft, out var applied, out var rejection))
            {
                if (rejection.TxIndex < 0) throw new InvalidOperationException($"own proposal refused as a whole: {rejection}");
                Mempool.Remove(txids[rejection.TxIndex]);
                continue;
            }
            // The state root is known only now: written into the header in place (application reads no header field
            // that is still to be filled, and keeps nothing of the block's bytes).
            header = header with { StateRoot = Ledger.StateRoot };
            header.Encode(block.AsSpan(0, HeaderView.EncodedSize));
            _pending = applied;
            _pendingHash = header.ComputeHash();
            return block;
        }
        return null;
    }

    public bool ExecuteProposal(ulong height, uint view, byte[] block, out Hash32 blockHash)
    {
        blockHash = default;
        if (block.Length > ProtocolLimits.MaxBlockBytes || !BlockView.TryDecode(block, out var view0, out _)) return false;
        var header = view0.Header;
        blockHash = view0.ComputeHash();
        if (header.Height != height || header.View != view || header.Prev != _tipHash || header.TimeMs <= _tipTimeMs
            || header.LastCommitHash != CommitHash.Of(view0.LastCommit.Bytes)
            || !CheckScheduleFields(view0, verifySignatures: true, out _))
            return false;
        if (!TryApplyMeasured(view0, out var applied, out _)) return false;
        // The txRoot from the txids the application hashed anyway (checking it first would hash every transaction twice).
        if (header.TxRoot != MerkleTree.ComputeRoot(applied!.TxIds) || Ledger.StateRoot != header.StateRoot)
        {
            Ledger.Revert(applied!);
            return false;
        }
        _pending = applied;
        _pendingHash = blockHash;
        return true;
    }

    /// <summary>Applies a proposal (own or a peer's) to the state and feeds its duration to the proposal sizer.</summary>
    private bool TryApplyMeasured(in BlockView block, out BlockApplyResult? applied, out BlockRejection rejection)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        bool ok = Ledger.TryApplyBlock(block, RewardsFor(block), Mempool, out applied, out rejection);
        _proposalSizer.Record(block.TxCount, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return ok;
    }

    public void AbandonProposal(ulong height, in Hash32 blockHash)
    {
        if (_pending is null || _pendingHash != blockHash) return;
        Ledger.Revert(_pending);
        _pending = null;
    }

    public Signature64 Sign(in Hash32 message)
    {
        var signature = new byte[64];
        CryptoEd25519.Sign(_witnessSeed ?? throw new InvalidOperationException("not a witness"), message.Span, signature);
        return new Signature64(signature);
    }

    /// <summary>Against the set of that height; false while its round is not known (a later round).</summary>
    public bool VerifyVote(ulong height, int witness, in Hash32 message, in Signature64 signature) =>
        TryWitnessKey(height, witness, out Hash32 key) && CryptoEd25519.Verify(key.Span, message.Span, signature.Span);

    /// <summary>The public key of witness <paramref name="witness"/> at <paramref name="height"/>; false while its round is not known or out of range.</summary>
    private bool TryWitnessKey(ulong height, int witness, out Hash32 key)
    {
        key = default;
        if (_schedule.ForHeight(height) is not { } round || (uint)witness >= (uint)round.Set.Count) return false;
        key = round.Set.PublicKeys[witness];
        return true;
    }

    /// <summary>Vote signatures as one Ed25519 batch, each against the witness set of its own height.</summary>
    public void VerifyVotes(ReadOnlySpan<VoteCheck> checks, Span<bool> valid)
    {
        var keys = new byte[32 * checks.Length];
        var signatures = new byte[64 * checks.Length];
        var messages = new byte[32 * checks.Length];
        var slot = new int[checks.Length];
        int n = 0;
        for (int i = 0; i < checks.Length; i++)
        {
            valid[i] = false;
            slot[i] = -1;
            if (!TryWitnessKey(checks[i].Height, checks[i].Witness, out Hash32 key)) continue;
            key.CopyTo(keys.AsSpan(32 * n));
            checks[i].Signature.Span.CopyTo(signatures.AsSpan(64 * n));
            checks[i].Message.Span.CopyTo(messages.AsSpan(32 * n));
            slot[i] = n++;
        }
        if (n == 0) return;
        var ok = new bool[n];
        Ed25519Batch.Verify(keys.AsSpan(0, 32 * n), signatures.AsSpan(0, 64 * n), messages.AsSpan(0, 32 * n), 32, ok);
        for (int i = 0; i < checks.Length; i++)
            if (slot[i] >= 0) valid[i] = ok[slot[i]];
    }

    /// <summary>A view change is worth a line: operators see why a block took seconds (no proposal, missing votes).</summary>
    public void ViewTimedOut(ViewTimeout timeout)
    {
        string proposal = timeout.ProposalAtMs < 0 ? "no proposal" : $"proposal at +{timeout.ProposalAtMs} ms";
        _log.WriteLine($"mesd: view {timeout.View} at height {timeout.Height} timed out after {timeout.RanMs} ms: {proposal}, "
            + $"{(timeout.Prepared ? "prepared" : "not prepared")}, prepares from [{string.Join(',', timeout.Prepares)}], "
            + $"commits from [{string.Join(',', timeout.Commits)}]");
    }

    /// <summary>To the other witnesses over the P2P network (no-op without one, e.g. the one-witness dev chain).</summary>
    public void Broadcast(ConsensusMessage message) => _network?.BroadcastConsensus(ConsensusCodec.Encode(message));

    /// <summary>
    /// Witnesses this node's final-block announcement skips. Witnesses that voted for the block hold it already (they
    /// executed it); of the others, only the block's proposer tells them: when every finalising witness did, the one
    /// witness of four outside the quorum received the whole block three times per height. Followers get it from all.
    /// </summary>
    private IReadOnlyList<Hash32>? AnnouncementSkips(ulong height, uint view)
    {
        int self = SelfIndexAt(height);
        if (self >= 0 && Proposer(height, view) != self) return _schedule.ForHeight(height)?.Set.PublicKeys;
        return NodeKeysOf(height, _engine.LastBlockHolders);
    }

    /// <summary>Node keys of the given witnesses of <paramref name="height"/> (a witness's node key is its witness key).</summary>
    private List<Hash32>? NodeKeysOf(ulong height, IReadOnlyList<int> witnesses)
    {
        if (_schedule.ForHeight(height) is not { } round) return null;
        var keys = round.Set.PublicKeys;
        var nodeKeys = new List<Hash32>(witnesses.Count);
        foreach (int w in witnesses)
            if ((uint)w < (uint)keys.Length) nodeKeys.Add(keys[w]);
        return nodeKeys;
    }

    public void Finalized(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate)
    {
        var applied = _pending ?? throw new InvalidOperationException($"block {height} finalised without being executed");
        if (_pendingHash != blockHash) throw new InvalidOperationException($"block {height}: finalised {blockHash}, executed {_pendingHash}");
        _pending = null;
        CommitFinal(height, block, blockHash, certificate, applied, fromPeer: false);
    }

    /// <summary>
    /// Makes an applied block final here: block log append + commit (durable), tip certificate, mempool cleanup,
    /// periodic checkpoint, then peers and subscribers are told. Shared by blocks this node's engine finalised and
    /// certified blocks received from peers.
    /// </summary>
    private void CommitFinal(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate, BlockApplyResult applied, bool fromPeer)
    {
        // Block and certificate in one log entry: whenever a crash hits, the durable tip is certified. The commit
        // (fsync) runs on the committer thread; clients hear of the block once it is durable (OnDurable).
        byte[] certificateBytes = certificate.ToBytes();
        _blocks.Append(height, blockHash, block, certificateBytes, applied.TxIds, applied.TxFees);
        _undurable.Enqueue((new FinalizedBlock(height, blockHash, block, applied.TxIds.Length, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            certificateBytes));
        _committer!.Appended(height);
        BlockView.TryDecode(block, out var view, out _);
        IReadOnlyList<Hash32>? holders = fromPeer ? null : AnnouncementSkips(height, view.Header.View);
        AdvanceSchedule(view, blockHash);
        _tipHash = blockHash;
        _tipTimeMs = view.Header.TimeMs;
        _lastCommit = certificate;
        Interlocked.Exchange(ref _tipHeight, (long)height);
        Mempool.OnBlockCommitted(height, applied.TxIds, applied.SpentOutpoints());
        applied.Dispose(); // final: never reverted, so its op buffer goes back to the pool
        if ((height + CheckpointPhase) % (ulong)_config.CheckpointInterval == 0)
        {
            // The schedule first: a crash between the two leaves a spare file, never a checkpoint without its schedule.
            // The previous checkpoint must be durable first: FASTER runs one at a time, and recovery needs one whole.
            // Neither checkpoint may be ahead of the durable block log: recovery replays the log after them.
            long started = Environment.TickCount64;
            _committer!.WaitDurable(height);
            long durable = Environment.TickCount64;
            AwaitCheckpoint();
            long previousDone = Environment.TickCount64;
            WitnessScheduleFile.Write(BlocksDir, _schedule);
            long scheduleDone = Environment.TickCount64;
            // Content is fixed here; the disk writes run while the next blocks apply (a crash before they finish
            // recovers from the previous checkpoint and replays more blocks).
            _checkpoint = Task.WhenAll(Ledger.BeginCheckpoint(), _blocks.BeginCheckpointIndex());
            LastCheckpointHeight = height;
            long paused = Environment.TickCount64 - started;
            // Starting a checkpoint should cost the chain thread milliseconds; say so when it did not (slow disk).
            if (paused >= SlowCheckpointStartMs)
                _log.WriteLine($"mesd: checkpoint at height {height} held the chain for {paused} ms (block log commit {durable - started} ms, "
                    + $"previous checkpoint {previousDone - durable} ms, "
                    + $"schedule file {scheduleDone - previousDone} ms, version change {Environment.TickCount64 - scheduleDone} ms)");
        }
        // Witnesses announce what they finalised; full nodes relay through gossip (the network does that on acceptance).
        // (Final by its certificate, so peers may have it before it is durable here.)
        if (!fromPeer) _network?.BroadcastFinalBlock(block, certificateBytes, holders);
    }

    /// <summary>
    /// Committer thread, after each block-log commit: blocks below <paramref name="durableCount"/> are durable, so now
    /// they are final for clients, in height order: the tip peers and RPC see, the mempool's view of their
    /// transactions, the throughput meter and <see cref="BlockFinalized"/> subscribers.
    /// </summary>
    private void OnDurable(ulong durableCount)
    {
        while (_undurable.TryPeek(out var next) && next.Block.Height < durableCount && _undurable.TryDequeue(out next))
        {
            var (block, certificate) = next;
            PublishTip(block.Height, block.Hash, certificate);
            Volatile.Write(ref _finalHeight, (long)block.Height);
            Mempool.OnBlocksDurable(block.Height);
            _throughput.Add(block.TxCount, Environment.TickCount64);
            BlockFinalized?.Invoke(block);
        }
    }
}
