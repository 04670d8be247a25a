namespace MesFast.Core.Dpos;

/// <summary>
/// Genesis parameters of DPoS, rewards and DEC (PROTOCOL §11). Defaults keep genesis files written before DPoS
/// valid; with no registered candidates and no stakers they change nothing about a chain's state.
/// </summary>
public sealed record DposParams
{
    public const int BasisPoints = 10_000;

    /// <summary>Rounds per epoch (a round = N consecutive heights).</summary>
    public int EpochRounds { get; init; } = 10;

    /// <summary>Smallest witness count DEC may choose (of the form 3f+1).</summary>
    public int MinWitnesses { get; init; } = 1;

    /// <summary>Largest witness count DEC may choose (of the form 3f+1, at most <see cref="ProtocolLimits.MaxWitnessCount"/>).</summary>
    public int MaxWitnesses { get; init; } = 100;

    /// <summary>Mean block fullness (basis points) below which the last epoch counts as idle: N grows by 3.</summary>
    public int IdleBps { get; init; } = 2_000;

    /// <summary>Mean block fullness (basis points) above which the last epoch counts as congested: N shrinks by 3.</summary>
    public int CongestedBps { get; init; } = 8_000;

    /// <summary>Missed proposer slots in one epoch that evict a witness (M).</summary>
    public int MaxMissesPerEpoch { get; init; } = 10;

    /// <summary>Blocks between an Unstake and the height from which its MES can be released.</summary>
    public ulong UnbondingBlocks { get; init; } = 100_800;

    /// <summary>Smallest bond (base units) a first RegisterWitness must lock.</summary>
    public ulong MinBond { get; init; } = 10_000UL * 100_000_000UL;

    /// <summary>Share (basis points) of a block's fees + subsidy that pays the signers of its lastCommit.</summary>
    public int LastCommitShareBps { get; init; } = 1_000;

    public static DposParams Default { get; } = new();

    /// <summary>True when N is of the form 3f+1 (N ≥ 1).</summary>
    public static bool IsBftSize(int n) => n >= 1 && (n - 1) % 3 == 0;

    /// <summary>Checks every field; on failure names the field (genesis JSON name) and the problem.</summary>
    public bool TryValidate(out string field, out string problem)
    {
        (field, problem) = ("", "");
        if (EpochRounds < 1) (field, problem) = ("epochRounds", "must be at least 1");
        else if (!IsBftSize(MinWitnesses)) (field, problem) = ("minWitnesses", "must be of the form 3f+1 (1, 4, 7, …)");
        else if (!IsBftSize(MaxWitnesses) || MaxWitnesses > ProtocolLimits.MaxWitnessCount)
            (field, problem) = ("maxWitnesses", $"must be of the form 3f+1 and at most {ProtocolLimits.MaxWitnessCount}");
        else if (MaxWitnesses < MinWitnesses) (field, problem) = ("maxWitnesses", "must be at least minWitnesses");
        else if (IdleBps is < 0 or > BasisPoints) (field, problem) = ("idleBps", "must be 0 … 10000");
        else if (CongestedBps is < 0 or > BasisPoints) (field, problem) = ("congestedBps", "must be 0 … 10000");
        else if (IdleBps >= CongestedBps) (field, problem) = ("idleBps", "must be below congestedBps");
        else if (MaxMissesPerEpoch < 1) (field, problem) = ("maxMissesPerEpoch", "must be at least 1");
        else if (UnbondingBlocks < 1) (field, problem) = ("unbondingBlocks", "must be at least 1");
        else if (MinBond < 1) (field, problem) = ("minBond", "must be above 0");
        else if (LastCommitShareBps is < 0 or > BasisPoints) (field, problem) = ("lastCommitShareBps", "must be 0 … 10000");
        return field.Length == 0;
    }
}
