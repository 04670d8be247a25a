using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// What the SPBFT engine needs from the node: the witness set, block building and execution, vote signing and
/// verification, message delivery and finalisation. The engine itself has no threads, clocks or sockets.
/// </summary>
public interface IConsensusHost
{
    uint ChainId { get; }

    /// <summary>Witnesses of the epoch of <paramref name="height"/>.</summary>
    int WitnessCount(ulong height);

    /// <summary>This node's witness index at <paramref name="height"/>, or -1 when it is not a witness.</summary>
    int SelfIndex(ulong height);

    /// <summary>Witness index of the proposer of (height, view): <c>order[(h + v) mod N]</c>.</summary>
    int Proposer(ulong height, uint view);

    /// <summary>Builds and executes a proposal; null when the node cannot propose yet (e.g. the block interval has not passed).</summary>
    byte[]? BuildProposal(ulong height, uint view, long nowMs);

    /// <summary>Executes a received proposal against the state; false (with the state unchanged) when invalid.</summary>
    bool ExecuteProposal(ulong height, uint view, byte[] block, out Hash32 blockHash);

    /// <summary>Reverts an executed proposal that will not become final at this view.</summary>
    void AbandonProposal(ulong height, in Hash32 blockHash);

    Signature64 Sign(in Hash32 message);

    /// <summary>Verifies a vote signature of witness <paramref name="witness"/> at <paramref name="height"/>.</summary>
    bool VerifyVote(ulong height, int witness, in Hash32 message, in Signature64 signature);

    /// <summary>
    /// Verifies many vote signatures at once: <paramref name="valid"/>[i] is what <see cref="VerifyVote"/> answers for
    /// <paramref name="checks"/>[i]. A node verifies them as one Ed25519 batch; this default checks them one by one.
    /// </summary>
    void VerifyVotes(ReadOnlySpan<VoteCheck> checks, Span<bool> valid)
    {
        for (int i = 0; i < checks.Length; i++)
            valid[i] = VerifyVote(checks[i].Height, checks[i].Witness, checks[i].Message, checks[i].Signature);
    }

    /// <summary>Sends a consensus message to the other witnesses (no-op with one witness).</summary>
    void Broadcast(ConsensusMessage message);

    /// <summary>2f+1 commits: the block is final. Called once per height, in height order.</summary>
    void Finalized(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate);

    /// <summary>This node abandons a view that ran out of time (before its ViewChange goes out): what it had seen, for the log.</summary>
    void ViewTimedOut(ViewTimeout timeout)
    {
    }
}

/// <summary>
/// A view this node abandoned on its timeout: how long it ran, when (ms after the view's first tick) the proposal was
/// accepted (-1: none), whether this node prepared, and which witnesses' Prepares and Commits of the view it counted.
/// </summary>
public sealed record ViewTimeout(ulong Height, uint View, long RanMs, long ProposalAtMs, bool Prepared, int[] Prepares, int[] Commits);

/// <summary>One vote signature to check: the witness's signature over the vote's signing hash at that height.</summary>
public readonly record struct VoteCheck(ulong Height, int Witness, Hash32 Message, Signature64 Signature);
