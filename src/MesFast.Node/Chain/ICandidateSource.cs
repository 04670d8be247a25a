using MesFast.Core.Dpos;
using MesFast.Core.Ledger;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>What the witness schedule reads from the state at a boundary: candidate weights and owners.</summary>
internal interface ICandidateSource
{
    /// <summary>Every registered candidate with its weight (any order).</summary>
    WeightedCandidate[] CandidateWeights();

    /// <summary>The owner (reward address) of a registered candidate.</summary>
    Address OwnerOf(in Hash32 nodeKey);
}

/// <summary>The ledger as the schedule's candidate source.</summary>
internal sealed class LedgerCandidates(LedgerState ledger) : ICandidateSource
{
    public WeightedCandidate[] CandidateWeights() => ledger.GetCandidateWeights();

    public Address OwnerOf(in Hash32 nodeKey) => ledger.ReadCandidate(nodeKey)?.Owner ?? default;
}
