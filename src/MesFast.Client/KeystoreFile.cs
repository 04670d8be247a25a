using System.Text.Json.Serialization;

namespace MesFast.Client;

/// <summary>One key's file in the keystore (JSON). The seed exists only as ciphertext.</summary>
internal sealed class KeystoreFile
{
    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("address")] public string? Address { get; set; }
    [JsonPropertyName("publicKey")] public string? PublicKey { get; set; }
    [JsonPropertyName("kdf")] public string? Kdf { get; set; }
    [JsonPropertyName("memoryKiB")] public long MemoryKiB { get; set; }
    [JsonPropertyName("passes")] public long Passes { get; set; }
    [JsonPropertyName("salt")] public string? Salt { get; set; }
    [JsonPropertyName("cipher")] public string? Cipher { get; set; }
    [JsonPropertyName("nonce")] public string? Nonce { get; set; }
    [JsonPropertyName("ciphertext")] public string? Ciphertext { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(KeystoreFile))]
internal sealed partial class KeystoreJsonContext : JsonSerializerContext;
