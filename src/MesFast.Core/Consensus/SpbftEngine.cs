using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// The SPBFT state machine of one node (DESIGN §5), normal case: the proposer of (h, v) sends PrePrepare with the
/// block; witnesses execute it and send Prepare; 2f+1 Prepares for the executed block lock it (prepared) and the
/// witness sends Commit; 2f+1 Commits finalise it with a commit certificate, and the engine moves to h+1.
/// Deterministic: it reacts only to <see cref="OnTick"/> and <see cref="OnMessage"/> and acts through the host,
/// so the same code runs with one witness (each step completes inside one call chain), under a simulator, or on
/// the network. Single-threaded by contract: the node's chain thread owns it.
/// View changes (timeouts, ViewChange/NewView) belong to the multi-witness work of issue 4; with one witness a
/// view never fails.
/// </summary>
public sealed class SpbftEngine
{
    private readonly IConsensusHost _host;
    private readonly Dictionary<Hash32, VoteAggregator> _prepares = [];
    private readonly Dictionary<Hash32, VoteAggregator> _commits = [];
    private byte[]? _proposal;
    private Hash32 _proposalHash;
    private bool _prepared;
    private bool _committed;

    public SpbftEngine(IConsensusHost host, ulong nextHeight)
    {
        _host = host;
        Height = nextHeight;
    }

    /// <summary>The height being decided.</summary>
    public ulong Height { get; private set; }

    public uint View { get; private set; }

    /// <summary>Equivocations seen (a witness voting for two blocks in one phase): evidence for issue 4's slashing.</summary>
    public int Equivocations { get; private set; }

    /// <summary>Time passes: the proposer of the current round proposes when the host has a block ready.</summary>
    public void OnTick(long nowMs)
    {
        if (_proposal is not null) return;
        int self = _host.SelfIndex(Height);
        if (self < 0 || _host.Proposer(Height, View) != self) return;
        byte[]? block = _host.BuildProposal(Height, View, nowMs);
        if (block is null) return;
        var message = new PrePrepareMessage(Height, View, self, block);
        _host.Broadcast(message);
        Accept(message, alreadyExecuted: true);
    }

    public void OnMessage(ConsensusMessage message)
    {
        if (message.Height != Height || message.View != View) return;
        switch (message)
        {
            case PrePrepareMessage prePrepare:
                if (_proposal is null && prePrepare.Proposer == _host.Proposer(Height, View)) Accept(prePrepare, alreadyExecuted: false);
                break;
            case VoteMessage vote:
                OnVote(vote.Vote);
                break;
        }
    }

    private void Accept(PrePrepareMessage prePrepare, bool alreadyExecuted)
    {
        Hash32 hash;
        if (alreadyExecuted)
        {
            hash = BlockHashOf(prePrepare.Block);
        }
        else if (!_host.ExecuteProposal(Height, View, prePrepare.Block, out hash))
        {
            return; // an invalid proposal gets no Prepare; the view times out (issue 4)
        }
        _proposal = prePrepare.Block;
        _proposalHash = hash;
        CastVote(VotePhase.Prepare);
        CheckPrepared();
    }

    private void OnVote(in Vote vote)
    {
        var message = Vote.SigningHash(vote.Phase, _host.ChainId, vote.Height, vote.View, vote.Block);
        if (!_host.VerifyVote(vote.Height, vote.Witness, message, vote.Signature)) return;
        Add(vote);
    }

    private void Add(in Vote vote)
    {
        var table = vote.Phase == VotePhase.Prepare ? _prepares : _commits;
        if (!table.TryGetValue(vote.Block, out var aggregator))
        {
            int n = _host.WitnessCount(Height);
            table[vote.Block] = aggregator = new VoteAggregator(n, Quorum(n));
        }
        var result = aggregator.Add(vote);
        if (result == VoteAggregator.AddResult.Equivocation) Equivocations++;
        if (result != VoteAggregator.AddResult.ReachedQuorum && result != VoteAggregator.AddResult.Added) return;
        if (vote.Phase == VotePhase.Prepare) CheckPrepared();
        else CheckCommitted();
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

    /// <summary>2f+1 Prepares for the block this node executed: locked; send Commit once.</summary>
    private void CheckPrepared()
    {
        if (_prepared || _proposal is null) return;
        if (!_prepares.TryGetValue(_proposalHash, out var prepares) || prepares.Count < Quorum(_host.WitnessCount(Height))) return;
        _prepared = true;
        CastVote(VotePhase.Commit);
        CheckCommitted();
    }

    /// <summary>2f+1 Commits for the locked block: final.</summary>
    private void CheckCommitted()
    {
        if (_committed || !_prepared || _proposal is null) return;
        if (!_commits.TryGetValue(_proposalHash, out var commits) || commits.Count < Quorum(_host.WitnessCount(Height))) return;
        _committed = true;
        var certificate = commits.ToCertificate(Height, View, _proposalHash);
        byte[] block = _proposal;
        var hash = _proposalHash;
        ulong height = Height;
        Height++;
        View = 0;
        _proposal = null;
        _prepared = false;
        _committed = false;
        _prepares.Clear();
        _commits.Clear();
        _host.Finalized(height, block, hash, certificate);
    }

    /// <summary>2f+1 with f = ⌊(N − 1) / 3⌋.</summary>
    public static int Quorum(int witnesses) => 2 * ((witnesses - 1) / 3) + 1;

    private static Hash32 BlockHashOf(byte[] block) =>
        DomainHash.Compute(DomainHash.Header, block.AsSpan(0, Codec.HeaderView.EncodedSize));
}
