using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// The SPBFT state machine of one node (DESIGN §5, PROTOCOL §10). Normal case: the proposer of (h, 0) sends
/// PrePrepare with the block; witnesses execute it and send Prepare; 2f+1 Prepares for the executed block prepare
/// (lock) it and the witness sends Commit; 2f+1 Commits finalise it with a commit certificate and the engine moves
/// to h+1. View change (SpbftEngine.ViewChange.cs): a view that does not finalise in time is abandoned with a signed
/// ViewChange carrying the highest prepared certificate; the next proposer starts view v+1 with a NewView that must
/// re-propose the highest prepared block.
/// Deterministic: it reacts only to <see cref="OnTick"/>, <see cref="OnMessage"/> and <see cref="OnCaughtUp"/> and
/// acts through the host, so the same code runs with one witness (each step completes inside one call chain), under
/// a simulator, or on the network. Single-threaded by contract: the node's chain thread owns it. Bad input never
/// throws: malformed or unverifiable messages are dropped.
/// </summary>
public sealed partial class SpbftEngine
{
    private readonly IConsensusHost _host;
    private readonly SpbftOptions _options;
    private readonly Dictionary<(uint View, VotePhase Phase), PhaseVotes> _votes = [];
    /// <summary>Blocks of this height that this node validated (proposals, prepared blocks), by hash: what a commit certificate may finalise.</summary>
    private readonly Dictionary<Hash32, byte[]> _knownBlocks = [];
    private readonly FutureMessageBuffer _future = new();
    private byte[]? _proposal;
    private Hash32 _proposalHash;
    private bool _prepared;
    private bool _hasExecuted;
    private Hash32 _executed;
    private long _lastNowMs;
    private int[] _lastMissedProposers = [];
    private int[] _lastBlockHolders = [];

    public SpbftEngine(IConsensusHost host, ulong nextHeight, SpbftOptions? options = null)
    {
        _host = host;
        _options = options ?? new SpbftOptions();
        Height = nextHeight;
    }

    /// <summary>The height being decided.</summary>
    public ulong Height { get; private set; }

    /// <summary>The view this node is in (or changing to, while <see cref="IsAwaitingNewView"/>).</summary>
    public uint View { get; private set; }

    /// <summary>Equivocations seen (a witness voting for two blocks in one phase and view): evidence for slashing.</summary>
    public int Equivocations { get; private set; }

    /// <summary>
    /// Proposers that missed their slot at the height last finalised: the proposers of views 0..v−1 when it was
    /// finalised in view v (the certificate's view), in view order. Set before <see cref="IConsensusHost.Finalized"/>
    /// is called, so the host can read it there and record it on-chain.
    /// </summary>
    public IReadOnlyList<int> LastMissedProposers => _lastMissedProposers;

    /// <summary>
    /// Witnesses known to hold the block last finalised: its proposer and those whose Prepare or Commit for it (in the
    /// final view) this node counted, since each executed the block to vote. Set before <see cref="IConsensusHost.Finalized"/>;
    /// the host's final-block announcement skips them.
    /// </summary>
    public IReadOnlyList<int> LastBlockHolders => _lastBlockHolders;

    /// <summary>Time passes: the proposer proposes when the host has a block ready; a view that ran out of time is abandoned.</summary>
    public void OnTick(long nowMs)
    {
        _lastNowMs = nowMs;
        if (_viewStartMs < 0) _viewStartMs = nowMs;
        int self = _host.SelfIndex(Height);
        if (self >= 0 && _host.Proposer(Height, View) == self)
        {
            if (View == 0 && _proposal is null) ProposeFresh(self, nowMs);
            else if (IsAwaitingNewView) TrySendNewView();
        }
        CheckTimeout(nowMs);
        ReplayIfDue();
    }

    public void OnMessage(ConsensusMessage message)
    {
        Dispatch(message, verified: false);
        ReplayIfDue();
    }

    /// <summary>
    /// Feeds messages in arrival order, as <see cref="OnMessage"/> on each in turn would, but verifies the signatures
    /// of the votes among them first, as one batch (<see cref="IConsensusHost.VerifyVotes"/>): a vote whose signature
    /// fails is dropped, as it would be one by one.
    /// </summary>
    public void OnMessages(IReadOnlyList<ConsensusMessage> messages)
    {
        // Which votes the batch checks is decided once, before any is handled: handling one can finalise a height,
        // after which an earlier-checked vote is past and would no longer line up with its verdict.
        var slots = new int[messages.Count];
        var checks = new List<VoteCheck>();
        for (int i = 0; i < messages.Count; i++)
        {
            slots[i] = -1;
            if (messages[i] is not VoteMessage { Vote: var v } || !IsBatchable(v)) continue;
            slots[i] = checks.Count;
            checks.Add(new VoteCheck(v.Height, v.Witness, Vote.SigningHash(v.Phase, _host.ChainId, v.Height, v.View, v.Block), v.Signature));
        }
        if (checks.Count < 2)
        {
            foreach (var message in messages) OnMessage(message);
            return;
        }
        var valid = new bool[checks.Count];
        _host.VerifyVotes(CollectionsMarshal.AsSpan(checks), valid);
        for (int i = 0; i < messages.Count; i++)
        {
            if (slots[i] < 0) Dispatch(messages[i], verified: false);
            else if (valid[slots[i]]) Dispatch(messages[i], verified: true);
            ReplayIfDue();
        }
    }

    /// <summary>A vote whose signature a batch checks up front: a voting phase, not of a past height, a witness index in range.</summary>
    private bool IsBatchable(in Vote vote) =>
        vote.Phase is VotePhase.Prepare or VotePhase.Commit && vote.Height >= Height && IsWithinWitnessSet(vote.Height, vote.Witness);

    /// <summary>
    /// The host applied final blocks up to <paramref name="nextHeight"/> − 1 by other means (catch-up from peers,
    /// certificates checked by the host): drop this height's round and continue at <paramref name="nextHeight"/>.
    /// </summary>
    public void OnCaughtUp(ulong nextHeight)
    {
        if (nextHeight <= Height) return;
        if (_hasExecuted) _host.AbandonProposal(Height, _executed);
        ResetHeight(nextHeight);
        ReplayIfDue();
    }

    private void Dispatch(ConsensusMessage message, bool verified)
    {
        if (message is null || message.Height < Height) return; // past heights are over
        switch (message)
        {
            case PrePrepareMessage prePrepare:
                OnPrePrepare(prePrepare);
                break;
            case VoteMessage vote:
                OnVote(vote, verified);
                break;
            case ViewChangeMessage viewChange:
                OnViewChange(viewChange, verified);
                break;
            case NewViewMessage newView:
                OnNewView(newView, verified);
                break;
        }
    }

    private void ProposeFresh(int self, long nowMs)
    {
        byte[]? block = _host.BuildProposal(Height, View, nowMs);
        if (block is null || !IsWellSized(block)) return;
        var hash = BlockHashOf(block);
        _hasExecuted = true; // BuildProposal executed it
        _executed = hash;
        _host.Broadcast(new PrePrepareMessage(Height, View, self, block));
        AcceptProposal(block, hash, overridesLock: false);
    }

    private void OnPrePrepare(PrePrepareMessage prePrepare)
    {
        if (prePrepare.Block is null) return;
        if (prePrepare.Height > Height || prePrepare.View > View)
        {
            if (prePrepare.View == 0 && IsWithinWitnessSet(prePrepare.Height, prePrepare.Proposer)) Buffer(prePrepare.Proposer, prePrepare, verified: false);
            return;
        }
        // Views above 0 propose through NewView, whose 2f+1 ViewChanges justify the block.
        if (prePrepare.View != View || View != 0 || _proposal is not null) return;
        if (prePrepare.Proposer != _host.Proposer(Height, View) || !IsWellSized(prePrepare.Block)) return;
        AcceptProposal(prePrepare.Block, BlockHashOf(prePrepare.Block), overridesLock: false);
    }

    /// <summary>
    /// The proposal of the current view: executed, then Prepare. A witness locked on another block (prepared in an
    /// earlier view) refuses unless a NewView's higher prepared certificate overrides the lock.
    /// </summary>
    private void AcceptProposal(byte[] block, in Hash32 hash, bool overridesLock)
    {
        if (_lock is not null && _lock.Block != hash && !overridesLock) return;
        if (!EnsureExecuted(block, hash)) return; // an invalid proposal gets no Prepare; the view times out
        _proposal = block;
        _proposalHash = hash;
        _proposalAtMs = _lastNowMs;
        _knownBlocks[hash] = block;
        CastVote(VotePhase.Prepare);
        CheckPrepared();
        CheckCommittedAnyView(hash);
    }

    /// <summary>Makes <paramref name="block"/> the host's executed proposal, abandoning another one first.</summary>
    private bool EnsureExecuted(byte[] block, in Hash32 hash)
    {
        if (_hasExecuted && _executed == hash) return true;
        if (_hasExecuted)
        {
            _host.AbandonProposal(Height, _executed);
            _hasExecuted = false;
        }
        // A re-proposed block keeps the view (and proposer) it was first proposed in.
        if (!_host.ExecuteProposal(Height, ProposedViewOf(block), block, out var executed)) return false;
        if (executed != hash)
        {
            _host.AbandonProposal(Height, executed);
            return false;
        }
        _hasExecuted = true;
        _executed = hash;
        return true;
    }

    private void OnVote(VoteMessage message, bool verified)
    {
        var vote = message.Vote;
        if (vote.Phase is not (VotePhase.Prepare or VotePhase.Commit)) return;
        if (!IsWithinWitnessSet(vote.Height, vote.Witness)) return;
        if (!verified)
        {
            var signed = Vote.SigningHash(vote.Phase, _host.ChainId, vote.Height, vote.View, vote.Block);
            if (!_host.VerifyVote(vote.Height, vote.Witness, signed, vote.Signature)) return;
        }
        if (vote.Height > Height || vote.View > View)
        {
            Buffer(vote.Witness, message, verified: true);
            return;
        }
        // Prepares of an abandoned view no longer matter; Commits of any view still finalise (a certificate is a certificate).
        if (vote.Phase == VotePhase.Prepare && vote.View < View) return;
        Add(vote);
    }

    private void Add(in Vote vote)
    {
        var result = VotesOf(vote.View, vote.Phase).Add(vote);
        if (result == VoteAggregator.AddResult.Equivocation) Equivocations++;
        if (result is not (VoteAggregator.AddResult.ReachedQuorum or VoteAggregator.AddResult.Added)) return;
        if (vote.Phase == VotePhase.Prepare) CheckPrepared();
        else CheckCommitted(vote.View, vote.Block);
    }

    private PhaseVotes VotesOf(uint view, VotePhase phase)
    {
        if (!_votes.TryGetValue((view, phase), out var votes))
        {
            int n = _host.WitnessCount(Height);
            _votes[(view, phase)] = votes = new PhaseVotes(n, Quorum(n));
        }
        return votes;
    }

    private void CastVote(VotePhase phase)
    {
        int self = _host.SelfIndex(Height);
        if (self < 0) return;
        var message = Vote.SigningHash(phase, _host.ChainId, Height, View, _proposalHash);
        var vote = new Vote(phase, Height, View, _proposalHash, self, _host.Sign(message));
        _host.Broadcast(new VoteMessage(vote));
        Add(vote);
    }

    /// <summary>2f+1 Prepares in this view for the block this node executed: prepared (locked); send Commit once.</summary>
    private void CheckPrepared()
    {
        if (_prepared || _proposal is null || IsAwaitingNewView) return;
        var prepares = VotesOf(View, VotePhase.Prepare).For(_proposalHash);
        if (prepares is null || prepares.Count < Quorum(_host.WitnessCount(Height))) return;
        _prepared = true;
        if (_lock is null || _lock.View < View)
        {
            _lock = prepares.ToCertificate(Height, View, _proposalHash);
            _lockBlock = _proposal;
        }
        CastVote(VotePhase.Commit);
    }

    private void CheckCommittedAnyView(in Hash32 block)
    {
        foreach (var ((view, phase), _) in _votes)
        {
            if (phase != VotePhase.Commit) continue;
            if (CheckCommitted(view, block)) return;
        }
    }

    /// <summary>2f+1 Commits of one view for a block this node has validated: final.</summary>
    private bool CheckCommitted(uint view, in Hash32 block)
    {
        if (!_votes.TryGetValue((view, VotePhase.Commit), out var votes)) return false;
        var commits = votes.For(block);
        if (commits is null || commits.Count < Quorum(_host.WitnessCount(Height))) return false;
        if (!_knownBlocks.TryGetValue(block, out var bytes)) return false;
        if (!EnsureExecuted(bytes, block)) return false;
        Finalise(view, bytes, block, commits);
        return true;
    }

    private void Finalise(uint view, byte[] block, Hash32 hash, VoteAggregator commits)
    {
        ulong height = Height;
        var certificate = commits.ToCertificate(height, view, hash);
        var missed = new int[view];
        for (uint v = 0; v < view; v++) missed[v] = _host.Proposer(height, v);
        _lastMissedProposers = missed;
        _lastBlockHolders = HoldersOf(view, hash, commits);
        ResetHeight(height + 1);
        _host.Finalized(height, block, hash, certificate);
    }

    private int[] HoldersOf(uint view, in Hash32 hash, VoteAggregator commits)
    {
        int n = _host.WitnessCount(Height);
        int proposer = _host.Proposer(Height, view);
        var prepares = _votes.TryGetValue((view, VotePhase.Prepare), out var votes) ? votes.For(hash) : null;
        var holders = new List<int>(n);
        for (int w = 0; w < n; w++)
            if (w == proposer || commits.HasVoted(w) || (prepares?.HasVoted(w) ?? false)) holders.Add(w);
        return holders.ToArray();
    }

    private void ResetHeight(ulong nextHeight)
    {
        Height = nextHeight;
        View = 0;
        _proposal = null;
        _prepared = false;
        _hasExecuted = false;
        _votes.Clear();
        _knownBlocks.Clear();
        ResetViewChange();
        _replayPending = true; // buffered messages of the new height are now due
    }

    /// <summary>2f+1 with f = ⌊(N − 1) / 3⌋.</summary>
    public static int Quorum(int witnesses) => 2 * ((witnesses - 1) / 3) + 1;

    /// <summary>f + 1: at least one honest witness among them.</summary>
    public static int OneHonest(int witnesses) => (witnesses - 1) / 3 + 1;

    private bool IsWithinWitnessSet(ulong height, int witness) => (uint)witness < (uint)_host.WitnessCount(height);

    /// <summary>A block must hold a header (its hash is the header's) and stay within the protocol's size limit.</summary>
    private static bool IsWellSized(byte[]? block) =>
        block is not null && block.Length >= HeaderView.EncodedSize && block.Length <= ProtocolLimits.MaxBlockBytes;

    private static Hash32 BlockHashOf(byte[] block) =>
        DomainHash.Compute(DomainHash.Header, block.AsSpan(0, HeaderView.EncodedSize));

    private static uint ProposedViewOf(byte[] block) =>
        BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(HeaderView.ViewAt, 4));
}
