using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// What a valid staking transaction does, computed by <see cref="Kinds.StakingRules"/> before anything is written:
/// MES it locks into the staking module, MES the module releases to <see cref="ReleaseOwner"/> (as an extra output
/// at index = output count), and the records it replaces.
/// </summary>
internal sealed class StakingChange
{
    public ulong Locked { get; init; }

    public ulong Released { get; init; }

    public Address ReleaseOwner { get; init; }

    public CandidateRecord[] Candidates { get; init; } = [];

    public bool TouchesPosition { get; init; }

    public Hash32 PositionId { get; init; }

    /// <summary>The position's new value; null deletes it (released).</summary>
    public StakePositionRecord? Position { get; init; }

    public void ApplyTo(StakingOverlay overlay)
    {
        foreach (var candidate in Candidates) overlay.SetCandidate(candidate);
        if (TouchesPosition) overlay.SetPosition(PositionId, Position);
    }
}
