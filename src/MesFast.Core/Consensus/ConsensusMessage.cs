using MesFast.Core.Types;

namespace MesFast.Core.Consensus;

/// <summary>A message between witnesses: a proposal, a vote, a view change or a new view.</summary>
public abstract record ConsensusMessage(ulong Height, uint View);

/// <summary>The proposer's block for (height, view 0); later views propose through <see cref="NewViewMessage"/>.</summary>
public sealed record PrePrepareMessage(ulong Height, uint View, int Proposer, byte[] Block) : ConsensusMessage(Height, View);

/// <summary>A Prepare or Commit vote.</summary>
public sealed record VoteMessage(Vote Vote) : ConsensusMessage(Vote.Height, Vote.View);

/// <summary>
/// Witness <see cref="Witness"/> gives up the views below <see cref="NewView"/> at <see cref="Height"/>. It carries the
/// witness's highest prepared certificate (2f+1 Prepare votes, in the <see cref="CommitCertificate"/> layout) and,
/// when sent on its own, the prepared block's bytes; inside a <see cref="NewViewMessage"/> the block is left out.
/// </summary>
public sealed record ViewChangeMessage(
    ulong Height, uint NewView, int Witness, CommitCertificate? Prepared, byte[]? PreparedBlock, Signature64 Signature)
    : ConsensusMessage(Height, NewView);

/// <summary>
/// The proposer of <see cref="ConsensusMessage.View"/> starts it: 2f+1 signed ViewChanges for the view and the block
/// it proposes (the block of the highest prepared certificate among them if any, else a fresh block).
/// </summary>
public sealed record NewViewMessage(
    ulong Height, uint View, int Proposer, ViewChangeMessage[] ViewChanges, byte[] Block, Signature64 Signature)
    : ConsensusMessage(Height, View);
