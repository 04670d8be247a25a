using System.Text.Json.Serialization;

namespace MesFast.Node.Config;

/// <summary>
/// The genesis file as written on disk (JSON). Amounts are decimal strings of base units because they exceed
/// 2^53; hex fields are lowercase. <see cref="GenesisLoader"/> validates it into <see cref="Genesis"/>.
/// </summary>
internal sealed class GenesisFile
{
    [JsonPropertyName("chainId")] public uint? ChainId { get; set; }
    [JsonPropertyName("timeMs")] public ulong? TimeMs { get; set; }
    [JsonPropertyName("genesisSeed")] public string? GenesisSeed { get; set; }
    [JsonPropertyName("shardCount")] public int? ShardCount { get; set; }
    [JsonPropertyName("minFeePerByte")] public string? MinFeePerByte { get; set; }
    [JsonPropertyName("blockSubsidy")] public string? BlockSubsidy { get; set; }
    [JsonPropertyName("blockIntervalMs")] public int? BlockIntervalMs { get; set; }
    [JsonPropertyName("witnesses")] public List<GenesisWitnessEntry>? Witnesses { get; set; }
    [JsonPropertyName("allocations")] public List<GenesisAllocationEntry>? Allocations { get; set; }
    [JsonPropertyName("dpos")] public GenesisDposEntry? Dpos { get; set; }
}

/// <summary>The optional DPoS/DEC/reward parameters; an absent field takes its default (PROTOCOL §11.1).</summary>
internal sealed class GenesisDposEntry
{
    [JsonPropertyName("epochRounds")] public int? EpochRounds { get; set; }
    [JsonPropertyName("minWitnesses")] public int? MinWitnesses { get; set; }
    [JsonPropertyName("maxWitnesses")] public int? MaxWitnesses { get; set; }
    [JsonPropertyName("idleBps")] public int? IdleBps { get; set; }
    [JsonPropertyName("congestedBps")] public int? CongestedBps { get; set; }
    [JsonPropertyName("maxMissesPerEpoch")] public int? MaxMissesPerEpoch { get; set; }
    [JsonPropertyName("unbondingBlocks")] public ulong? UnbondingBlocks { get; set; }
    [JsonPropertyName("minBond")] public string? MinBond { get; set; }
    [JsonPropertyName("lastCommitShareBps")] public int? LastCommitShareBps { get; set; }
}

internal sealed class GenesisWitnessEntry
{
    [JsonPropertyName("publicKey")] public string? PublicKey { get; set; }
    [JsonPropertyName("rewardAddress")] public string? RewardAddress { get; set; }
}

internal sealed class GenesisAllocationEntry
{
    [JsonPropertyName("address")] public string? Address { get; set; }
    [JsonPropertyName("amount")] public string? Amount { get; set; }
}
