using System.Text.Json.Serialization;

namespace MesFast.Node.Config;

/// <summary>Source-generated JSON for the config and genesis files (NativeAOT: no reflection). Unknown fields are
/// errors so that a typo in a field name is reported instead of silently ignored.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenesisFile))]
[JsonSerializable(typeof(NodeConfigFile))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
