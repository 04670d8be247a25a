using System.Text.Json.Serialization;

namespace MesFast.Node.Config;

/// <summary>The node's config file as written on disk (JSON); relative paths are relative to the file's folder.</summary>
internal sealed class NodeConfigFile
{
    [JsonPropertyName("dataDir")] public string? DataDir { get; set; }
    [JsonPropertyName("genesisFile")] public string? GenesisFile { get; set; }
    [JsonPropertyName("witnessKeyFile")] public string? WitnessKeyFile { get; set; }
    [JsonPropertyName("rpc")] public string? Rpc { get; set; }
    [JsonPropertyName("checkpointInterval")] public int? CheckpointInterval { get; set; }
    [JsonPropertyName("mempoolMaxTxs")] public int? MempoolMaxTxs { get; set; }
    [JsonPropertyName("mempoolMaxBytes")] public long? MempoolMaxBytes { get; set; }
    [JsonPropertyName("maxBlockTxs")] public int? MaxBlockTxs { get; set; }
    [JsonPropertyName("stateMemoryMiB")] public int? StateMemoryMiB { get; set; }
    [JsonPropertyName("p2p")] public string? P2p { get; set; }
    [JsonPropertyName("peers")] public List<string>? Peers { get; set; }
    [JsonPropertyName("nodeKeyFile")] public string? NodeKeyFile { get; set; }
}
