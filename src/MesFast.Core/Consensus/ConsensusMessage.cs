namespace MesFast.Core.Consensus;

/// <summary>A message between witnesses: a proposal or a vote.</summary>
public abstract record ConsensusMessage(ulong Height, uint View);

/// <summary>The proposer's block for (height, view).</summary>
public sealed record PrePrepareMessage(ulong Height, uint View, int Proposer, byte[] Block) : ConsensusMessage(Height, View);

/// <summary>A Prepare or Commit vote.</summary>
public sealed record VoteMessage(Vote Vote) : ConsensusMessage(Vote.Height, Vote.View);
