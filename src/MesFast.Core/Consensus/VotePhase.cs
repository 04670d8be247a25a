namespace MesFast.Core.Consensus;

/// <summary>The two voting phases of SPBFT after the proposer's PrePrepare.</summary>
public enum VotePhase : byte
{
    Prepare = 1,
    Commit = 2,
}
