using MesFast.Crypto;
using MesFast.Node.Config;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Commands;

/// <summary>
/// <c>mesd init --data DIR [--chain-id N] [--shards S] [--rpc HOST:PORT] [--fund ADDRESS=UNITS]</c>: writes a
/// fresh genesis (this node its only witness, a new random witness key) and a config into DIR, for
/// <c>mesd run --config DIR/config.json</c>. Refuses to overwrite an existing chain folder.
/// </summary>
internal static class InitCommand
{
    public const string Usage =
        "mesd init --data DIR [--chain-id N] [--shards S] [--rpc HOST:PORT] [--fund ADDRESS=UNITS]";

    public static int Run(ReadOnlySpan<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, "init", ["--data", "--chain-id", "--shards", "--rpc", "--fund"], []);
        string dataDir = Path.GetFullPath(line.Value("--data") ?? throw new UsageException("mesd init: --data DIR is required"));
        int chainIdValue = line.Int("--chain-id", 2, 1, int.MaxValue, "init");
        int shards = line.Int("--shards", 4, 1, GenesisLoader.MaxShardCount, "init");
        if ((shards & (shards - 1)) != 0) throw new UsageException($"mesd init: --shards must be a power of two, got {shards}");
        var (host, port) = ParseEndpoint(line.Value("--rpc") ?? $"127.0.0.1:{NodeConfig.DefaultRpcPort}", "init");
        uint chainId = (uint)chainIdValue;
        string hrp = chainId == Genesis.MainnetChainId ? Address.MainnetHrp : Address.TestnetHrp;

        var allocations = new List<GenesisAllocation>();
        if (line.Value("--fund") is { } fund)
        {
            int eq = fund.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException("mesd init: --fund must be ADDRESS=UNITS");
            if (!Address.TryParse(fund[..eq], hrp, out var address, out var error))
                throw new UsageException($"mesd init: --fund address is not a valid '{hrp}' address ({error})");
            if (!ulong.TryParse(fund.AsSpan(eq + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong units) || units == 0)
                throw new UsageException($"mesd init: --fund amount must be a positive whole number of base units, got '{fund[(eq + 1)..]}'");
            allocations.Add(new GenesisAllocation(address, units));
        }

        string genesisPath = Path.Combine(dataDir, DevSetup.GenesisFileName);
        if (File.Exists(genesisPath)) throw new UsageException($"mesd init: {genesisPath} already exists; choose an empty --data folder");
        Directory.CreateDirectory(dataDir);
        string witnessPath = Path.Combine(dataDir, DevSetup.WitnessKeyFileName);
        Span<byte> seed = stackalloc byte[32], publicKey = stackalloc byte[32];
        CryptoEd25519.GenerateKey(seed, publicKey);
        KeyFile.WriteSeed(witnessPath, seed);
        var witnessAddress = Address.FromPublicKey(publicKey);
        var genesisSeed = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(genesisSeed);
        var genesis = new Genesis(chainId, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), new Hash32(genesisSeed),
            shards, MinFeePerByte: 1, BlockSubsidy: 100_000_000, BlockIntervalMs: 500,
            [new GenesisWitness(new Hash32(publicKey), witnessAddress)], [.. allocations]);
        GenesisLoader.Write(genesisPath, genesis);
        string configPath = Path.Combine(dataDir, DevSetup.ConfigFileName);
        new NodeConfig(dataDir, genesisPath, witnessPath, host, port, NodeConfig.DefaultCheckpointInterval,
            NodeConfig.DefaultMempoolMaxTxs, NodeConfig.DefaultMempoolMaxBytes).Write(configPath);
        output.WriteLine($"wrote {genesisPath}");
        output.WriteLine($"wrote {configPath}");
        output.WriteLine($"witness key {witnessPath} (reward address {witnessAddress.ToBech32(hrp)})");
        output.WriteLine($"start with: mesd run --config {configPath}");
        return 0;
    }

    public static (string Host, int Port) ParseEndpoint(string text, string command)
    {
        try
        {
            return FieldParsers.Endpoint(text, $"mesd {command}", "--rpc");
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
