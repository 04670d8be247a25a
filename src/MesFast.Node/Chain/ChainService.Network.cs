using System.Collections.Concurrent;
using MesFast.Core;
using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Mempool;
using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Network;

namespace MesFast.Node.Chain;

/// <summary>
/// The chain's side of the P2P network. Network threads decode and authenticate what peers send (consensus
/// messages, final blocks with certificates, transactions) and queue it; the chain thread, which owns the engine
/// and the ledger, applies it in order. Final blocks from peers (gossip or sync) are how a full node follows the
/// chain and how a witness that fell behind catches up.
/// </summary>
internal sealed partial class ChainService : INetworkHandler, IAdmissionCallback
{
    /// <summary>Final blocks further ahead than this are left to sync instead of being buffered.</summary>
    private const ulong MaxBufferedAhead = 256;

    private readonly ConcurrentQueue<ConsensusMessage> _consensusInbox = new();
    private readonly ConcurrentQueue<(ulong Height, byte[] Block, CommitCertificate Certificate)> _blockInbox = new();
    private readonly SortedDictionary<ulong, (byte[] Block, CommitCertificate Certificate)> _aheadBlocks = [];
    private readonly List<ConsensusMessage> _drained = [];
    private readonly AutoResetEvent _wake = new(false);
    private PeerNetwork? _network;
    private volatile TipSnapshot _tip = new(0, default, []);

    /// <summary>The tip as network threads see it: height, hash and the tip's commit certificate.</summary>
    private sealed record TipSnapshot(ulong Height, Hash32 Hash, byte[] Certificate);

    /// <summary>Connects the chain to a started network (null: a node without peers, e.g. the dev chain).</summary>
    public void AttachNetwork(PeerNetwork? network) => _network = network;

    public PeerNetwork? Network => _network;

    public (ulong Height, Hash32 Hash) FinalizedTip
    {
        get
        {
            TipSnapshot tip = _tip;
            return (tip.Height, tip.Hash);
        }
    }

    private void PublishTip(ulong height, in Hash32 hash, byte[] certificate) => _tip = new TipSnapshot(height, hash, certificate);

    /// <summary>A transaction from RPC or a peer: admitted to the mempool and, when new and valid, gossiped.</summary>
    /// <remarks>
    /// One that entered here (RPC) is pushed whole to every peer; ones from peers go through <see cref="OnTransaction"/>.
    /// <paramref name="raw"/> is handed over: the mempool and the relay keep it, so it must never change.
    /// </remarks>
    public async ValueTask<SubmitResult> SubmitTransactionAsync(byte[] raw, CancellationToken cancellation)
    {
        SubmitResult result = await Mempool.SubmitOwnedAsync(raw, cancellation).ConfigureAwait(false);
        if (result.Accepted) _network?.BroadcastTransaction(raw);
        return result;
    }

    public PeerVerdict OnTransaction(PeerInfo peer, ReadOnlySpan<byte> transaction, in Hash32 gossipId)
    {
        // Admitted in the mempool's next batch; the outcome arrives in OnAdmission (no task per transaction).
        Mempool.Submit(transaction.ToArray(), this, peer, gossipId);
        return PeerVerdict.Ignored; // relayed by OnAdmission once the mempool admits it
    }

    /// <summary>The mempool's verdict on a transaction from a peer: relay it when admitted, blame the peer when it is forged.</summary>
    void IAdmissionCallback.OnAdmission(in SubmitResult result, byte[] raw, object? state, in Hash32 tag)
    {
        var peer = (PeerInfo)state!;
        if (result.Accepted) _network?.RelayTransaction(raw, peer, tag);
        // Undecodable or badly signed transactions are the sender's fault; a spent input or a low fee may be a race.
        else if (result.Code is MempoolErrors.Decode or MempoolErrors.BadSignature) _network?.Penalize(peer, 20, $"invalid transaction: {result.Message}");
    }

    public PeerVerdict OnConsensus(PeerInfo peer, ReadOnlySpan<byte> message)
    {
        if (!ConsensusCodec.TryDecode(message, out ConsensusMessage? decoded, out _)) return PeerVerdict.Malicious;
        if (decoded.Height <= TipHeight) return PeerVerdict.Ignored;
        _consensusInbox.Enqueue(decoded);
        _wake.Set();
        // A proposal straight from its proposer: the other witnesses got it from the proposer too, so a witness passes
        // it on only to followers (its megabyte relays to witnesses were all dropped as seen). Followers relay it to
        // everyone: they bridge witnesses that are not connected to each other. Votes always relay (small, and each
        // one counts towards a quorum).
        if (decoded is PrePrepareMessage proposal && IsWitness && WitnessKeyAt(proposal.Height, proposal.Proposer) == peer.NodeKey)
            return PeerVerdict.AcceptedToFollowers;
        return PeerVerdict.Accepted;
    }

    public PeerVerdict OnFinalBlock(PeerInfo peer, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate)
    {
        if (block.Length > ProtocolLimits.MaxBlockBytes || !BlockView.TryDecode(block, out BlockView view, out _)) return PeerVerdict.Malicious;
        if (!CommitCertificate.TryDecode(certificate, out CommitCertificate? cert, out _)) return PeerVerdict.Malicious;
        ulong height = view.Header.Height;
        ulong tip = TipHeight;
        if (height <= tip || height > tip + MaxBufferedAhead) return PeerVerdict.Ignored;
        if (view.Header.ChainId != Genesis.ChainId) return PeerVerdict.Malicious;
        // A later round's witnesses are not known yet (they depend on blocks not final here): sync brings it in order.
        if (_schedule.ForHeight(height) is not { } round) return PeerVerdict.Ignored;
        // Authentic before it is relayed: 2f+1 witnesses signed Commit for exactly this block.
        if (!CertificateCheck.IsValid(cert, round.Set, Genesis.ChainId, height, view.ComputeHash(), out _)) return PeerVerdict.Malicious;
        _blockInbox.Enqueue((height, block.ToArray(), cert));
        _wake.Set();
        // Witnesses finalise by their own Commit quorum or hear from the block's proposer (it announces to the
        // non-holders): a witness relays final blocks to followers only; followers relay to all.
        return IsWitness ? PeerVerdict.AcceptedToFollowers : PeerVerdict.Accepted;
    }

    public bool IsCurrentWitness(in Hash32 nodeKey) => _schedule.ForHeight(TipHeight + 1) is { } round && round.Set.IndexOf(nodeKey) >= 0;

    /// <summary>The node key of witness <paramref name="index"/> at <paramref name="height"/>, or null (round unknown, index out of range).</summary>
    private Hash32? WitnessKeyAt(ulong height, int index) =>
        _schedule.ForHeight(height) is { } round && (uint)index < (uint)round.Set.PublicKeys.Length ? round.Set.PublicKeys[index] : null;

    public bool TryGetFinalBlock(ulong height, out byte[] block, out byte[] certificate)
    {
        TipSnapshot tip = _tip;
        block = [];
        certificate = [];
        if (height == 0 || height > tip.Height) return false;
        byte[]? stored = _blocks.ReadBlock(height);
        if (stored is null) return false;
        if (height == tip.Height)
        {
            certificate = tip.Certificate;
        }
        else
        {
            // A block's certificate travels in the next block's lastCommit.
            byte[]? next = _blocks.ReadBlock(height + 1);
            if (next is null || !BlockView.TryDecode(next, out BlockView nextView, out _)) return false;
            certificate = nextView.LastCommit.Bytes.ToArray();
        }
        block = stored;
        return true;
    }

    /// <summary>Chain thread: feeds queued consensus messages to the engine and applies queued final blocks in height order.</summary>
    private void DrainInbox()
    {
        while (_blockInbox.TryDequeue(out var item))
        {
            if (item.Height > TipHeight && _aheadBlocks.Count < (int)MaxBufferedAhead) _aheadBlocks.TryAdd(item.Height, (item.Block, item.Certificate));
        }
        bool caughtUp = false;
        while (_aheadBlocks.Count > 0)
        {
            ulong first = FirstKey();
            if (first <= TipHeight)
            {
                _aheadBlocks.Remove(first);
                continue;
            }
            if (first != TipHeight + 1) break;
            var (block, certificate) = _aheadBlocks[first];
            _aheadBlocks.Remove(first);
            if (!ApplyPeerBlock(first, block, certificate)) break;
            caughtUp = true;
        }
        if (caughtUp) _engine.OnCaughtUp(TipHeight + 1);
        // Up to 10,000 at a time (ticks keep flowing under a message storm); their vote signatures verified as a batch.
        _drained.Clear();
        while (_drained.Count < 10_000 && _consensusInbox.TryDequeue(out ConsensusMessage? message))
        {
            if (message.Height > TipHeight) _drained.Add(message);
        }
        if (_drained.Count > 0) _engine.OnMessages(_drained);
        _drained.Clear();
    }

    private ulong FirstKey()
    {
        foreach (ulong key in _aheadBlocks.Keys) return key;
        return 0;
    }

    /// <summary>Applies a peer's final block at tip + 1 (its certificate was checked on arrival). False if it does not fit this chain.</summary>
    private bool ApplyPeerBlock(ulong height, byte[] block, CommitCertificate certificate)
    {
        BlockView.TryDecode(block, out BlockView view, out _);
        Hash32 hash = view.ComputeHash();
        if (view.Header.Prev != _tipHash)
        {
            _log.WriteLine($"mesd: final block {height} from a peer does not extend the local tip; ignored");
            return false;
        }
        Core.Ledger.BlockApplyResult? applied = null;
        if (_pending is not null)
        {
            // The engine executed a proposal for this height: reuse it if it is the final block, else undo it.
            if (_pendingHash == hash) applied = _pending;
            else Ledger.Revert(_pending);
            _pending = null;
        }
        // Its own certificate (checked on arrival) shows 2f+1 witnesses executed it, lastCommit signatures included,
        // so those are not verified again here (a synced chain would otherwise verify every certificate twice).
        if (!CheckScheduleFields(view, verifySignatures: false, out string fieldError))
        {
            if (applied is not null) Ledger.Revert(applied);
            _log.WriteLine($"mesd: final block {height} from a peer does not match the witness schedule: {fieldError}");
            return false;
        }
        if (applied is null)
        {
            if (!Ledger.TryApplyBlock(view, RewardsFor(view), Mempool, out applied, out var rejection))
            {
                _log.WriteLine($"mesd: final block {height} (certified by 2f+1 witnesses) does not apply here: {rejection}");
                return false;
            }
            if (Ledger.StateRoot != view.Header.StateRoot)
            {
                Ledger.Revert(applied!);
                _log.WriteLine($"mesd: final block {height} gives state root {Ledger.StateRoot}, its header says {view.Header.StateRoot}");
                return false;
            }
        }
        CommitFinal(height, block, hash, certificate, applied!, fromPeer: true);
        return true;
    }
}
