using MesFast.Core.Dpos;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>
/// One round of the witness schedule (PROTOCOL §11.7): heights [<see cref="Start"/>, <see cref="End"/>) of epoch
/// <see cref="Epoch"/>, the set in force and its proposer order. Immutable, so network threads may read it.
/// </summary>
internal sealed class WitnessRound
{
    public WitnessRound(uint epoch, ulong epochStart, ulong epochEnd, ulong round, in Hash32 epochSeed, WitnessSet set)
    {
        Epoch = epoch;
        EpochStart = epochStart;
        EpochEnd = epochEnd;
        Round = round;
        EpochSeed = epochSeed;
        Set = set;
        Start = epochStart + round * (ulong)set.Count;
        Order = OrderOf(set, epochSeed, round);
    }

    public uint Epoch { get; }

    /// <summary>First height of the epoch.</summary>
    public ulong EpochStart { get; }

    /// <summary>First height of the next epoch.</summary>
    public ulong EpochEnd { get; }

    /// <summary>Round number within the epoch (0 … epochRounds − 1).</summary>
    public ulong Round { get; }

    public Hash32 EpochSeed { get; }

    public WitnessSet Set { get; }

    public ulong Start { get; }

    /// <summary>First height after the round.</summary>
    public ulong End => Start + (ulong)Set.Count;

    /// <summary>Witness index (into <see cref="Set"/>) of each proposer slot.</summary>
    public int[] Order { get; }

    public bool Contains(ulong height) => height >= Start && height < End;

    /// <summary>Witness index of the proposer of (height, view): <c>order[(h + v) mod N]</c>.</summary>
    public int Proposer(ulong height, uint view) => Order[ProposerOrder.Slot(height, view, Order.Length)];

    private static int[] OrderOf(WitnessSet set, in Hash32 epochSeed, ulong round)
    {
        var shuffled = ProposerOrder.Shuffle(set.PublicKeys, epochSeed, round);
        var order = new int[shuffled.Length];
        for (int s = 0; s < order.Length; s++) order[s] = set.IndexOf(shuffled[s]);
        return order;
    }
}
