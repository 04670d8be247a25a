namespace MesFast.Node.Tests.Process;

public sealed class CommandLineTests
{
    private static (int Code, string Out, string Error) Mesd(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = NodeCommand.Run(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Version_usage_and_bad_arguments()
    {
        var (code, output, _) = Mesd("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("mesd ", output, StringComparison.Ordinal);
        Assert.Equal(2, Mesd().Code);
        var unknown = Mesd("frobnicate");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown command 'frobnicate'", unknown.Error, StringComparison.Ordinal);
        var badRpc = Mesd("dev", "--rpc", "localhost:99999");
        Assert.Equal(2, badRpc.Code);
        Assert.Contains("invalid port", badRpc.Error, StringComparison.Ordinal);
        var noValue = Mesd("dev", "--data");
        Assert.Contains("option '--data' needs a value", noValue.Error, StringComparison.Ordinal);
        var badOption = Mesd("run", "--confg", "x");
        Assert.Contains("unknown option '--confg'", badOption.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_and_genesis_errors_name_the_file_and_field()
    {
        using var dir = new TempDirectory();
        var missing = Mesd("run", "--config", Path.Combine(dir.Path, "nope.json"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("nope.json: file not found", missing.Error, StringComparison.Ordinal);

        Assert.Equal(0, Mesd("init", "--data", dir.Path, "--chain-id", "7", "--shards", "2").Code);
        string config = Path.Combine(dir.Path, "config.json");
        string genesis = Path.Combine(dir.Path, "genesis.json");
        Assert.Equal(2, Mesd("init", "--data", dir.Path).Code); // refuses to overwrite

        File.WriteAllText(config, File.ReadAllText(config).Replace("\"checkpointInterval\": 100", "\"checkpointInterval\": 0", StringComparison.Ordinal));
        var badField = Mesd("run", "--config", config);
        Assert.Equal(1, badField.Code);
        Assert.Contains("config.json: field 'checkpointInterval' must be 1 … 100000 blocks, got 0", badField.Error, StringComparison.Ordinal);

        File.WriteAllText(config, File.ReadAllText(config).Replace("\"checkpointInterval\": 0", "\"checkpointIntervall\": 5", StringComparison.Ordinal));
        var typo = Mesd("run", "--config", config);
        Assert.Contains("checkpointIntervall", typo.Error, StringComparison.Ordinal);

        File.WriteAllText(config, File.ReadAllText(config).Replace("\"checkpointIntervall\": 5", "\"checkpointInterval\": 5", StringComparison.Ordinal));
        File.WriteAllText(genesis, File.ReadAllText(genesis).Replace("\"shardCount\": 2", "\"shardCount\": 3", StringComparison.Ordinal));
        var shards = Mesd("run", "--config", config);
        Assert.Contains("genesis.json: field 'shardCount' must be a power of two", shards.Error, StringComparison.Ordinal);

        File.WriteAllText(genesis, "{ \"chainId\": ");
        var broken = Mesd("run", "--config", config);
        Assert.Contains("genesis.json: invalid JSON", broken.Error, StringComparison.Ordinal);
    }
}
