using System.Text.Json;
using MesFast.Core.Dpos;
using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Staking;
using MesFast.Node.Chain;

namespace MesFast.Node.Rpc;

/// <summary>JSON of the DPoS queries (PROTOCOL §8): the witnesses in force, the candidates, a stake position.</summary>
internal static class StakingJson
{
    /// <summary>
    /// The round in force after the final tip: its epoch and heights, the witnesses in set order (with their
    /// candidate record when they registered; genesis witnesses may not have one) and the proposer of each height at view 0.
    /// </summary>
    public static void WriteWitnesses(Utf8JsonWriter w, WitnessRound round, LedgerState ledger, string hrp)
    {
        w.WriteStartObject();
        w.WriteNumber("epoch", round.Epoch);
        w.WriteNumber("epochStart", round.EpochStart);
        w.WriteNumber("epochEnd", round.EpochEnd);
        w.WriteNumber("round", round.Round);
        w.WriteNumber("roundStart", round.Start);
        w.WriteNumber("roundEnd", round.End);
        w.WriteString("witnessSetHash", round.Set.Hash.ToString());
        w.WriteStartArray("witnesses");
        for (int i = 0; i < round.Set.Count; i++)
        {
            var key = round.Set.PublicKeys[i];
            w.WriteStartObject();
            w.WriteNumber("index", i);
            w.WriteString("nodeKey", key.ToString());
            w.WriteString("rewardAddress", round.Set.RewardAddresses[i].ToBech32(hrp));
            var candidate = ledger.ReadCandidate(key);
            if (candidate is null) w.WriteNull("candidate");
            else
            {
                w.WritePropertyName("candidate");
                WriteCandidate(w, candidate, isWitness: true, hrp);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("proposers");
        for (ulong height = round.Start; height < round.End; height++)
        {
            w.WriteStartObject();
            w.WriteNumber("height", height);
            w.WriteString("nodeKey", round.Set.PublicKeys[round.Proposer(height, 0)].ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Every registered candidate, most votes first (ties by node key, the election's order).</summary>
    public static void WriteCandidates(Utf8JsonWriter w, CandidateRecord[] candidates, WitnessSet current, string hrp)
    {
        var ranked = (CandidateRecord[])candidates.Clone();
        Array.Sort(ranked, static (a, b) => Election.CompareRank(new WeightedCandidate(a.NodeKey, a.Weight), new WeightedCandidate(b.NodeKey, b.Weight)));
        w.WriteStartArray();
        foreach (var candidate in ranked) WriteCandidate(w, candidate, current.IndexOf(candidate.NodeKey) >= 0, hrp);
        w.WriteEndArray();
    }

    private static void WriteCandidate(Utf8JsonWriter w, CandidateRecord c, bool isWitness, string hrp)
    {
        w.WriteStartObject();
        w.WriteString("nodeKey", c.NodeKey.ToString());
        w.WriteString("owner", c.Owner.ToBech32(hrp));
        w.WriteString("name", c.Name);
        w.WriteString("url", c.Url);
        w.WriteString("endpoint", c.Endpoint);
        w.WriteString("bond", RpcParams.Amount(c.Bond));
        w.WriteString("votes", RpcParams.Amount(c.Weight));
        w.WriteNumber("voterShareBps", c.VoterShareBps);
        w.WriteNumber("registeredHeight", c.Height);
        if (c.Star.Length == 0) w.WriteNull("star");
        else w.WriteString("star", Convert.ToHexStringLower(c.Star));
        w.WriteBoolean("witness", isWitness);
        w.WriteEndObject();
    }

    /// <summary>A stake position with what a ClaimRewards would pay now, or null when the id names none.</summary>
    public static void WritePosition(Utf8JsonWriter w, StakePositionRecord? position, ulong claimable, string hrp)
    {
        if (position is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("id", position.Id.ToString());
        w.WriteString("owner", position.Owner.ToBech32(hrp));
        w.WriteString("amount", RpcParams.Amount(position.Amount));
        w.WriteNumber("height", position.Height);
        w.WriteString("status", position.IsUnbonding ? "unbonding" : "bonded");
        if (position.IsUnbonding) w.WriteNumber("releaseHeight", position.ReleaseHeight);
        else w.WriteNull("releaseHeight");
        w.WriteStartArray("approvals");
        foreach (var approval in position.Approvals) w.WriteStringValue(approval.NodeKey.ToString());
        w.WriteEndArray();
        w.WriteString("claimableRewards", RpcParams.Amount(claimable));
        w.WriteEndObject();
    }
}
