using MesFast.Node.Config;

namespace MesFast.Node.Tests.Config;

public sealed class NodeConfigTests
{
    private static string Write(TempDirectory dir, string extra)
    {
        string path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, $$"""{ "dataDir": "data", "genesisFile": "genesis.json"{{extra}} }""");
        return path;
    }

    [Fact]
    public void State_memory_per_shard_defaults_to_256_MiB_and_must_be_a_power_of_two_in_range()
    {
        using var dir = new TempDirectory();
        Assert.Equal(256, NodeConfig.Load(Write(dir, "")).StateMemoryMiB);
        var custom = NodeConfig.Load(Write(dir, """, "stateMemoryMiB": 1024"""));
        Assert.Equal(1024, custom.StateMemoryMiB);
        // Written back only when it differs from the default, and read again the same.
        custom.Write(Path.Combine(dir.Path, "again.json"));
        Assert.Contains("\"stateMemoryMiB\": 1024", File.ReadAllText(Path.Combine(dir.Path, "again.json")), StringComparison.Ordinal);
        Assert.Equal(1024, NodeConfig.Load(Path.Combine(dir.Path, "again.json")).StateMemoryMiB);
        foreach (string bad in new[] { "100", "2", "0", "-64", "131072" })
        {
            var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(Write(dir, $", \"stateMemoryMiB\": {bad}")));
            Assert.Equal($"config.json: field 'stateMemoryMiB' must be a power of two from 4 to 65536, got {bad}", e.Message);
        }
    }
}
