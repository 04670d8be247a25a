using MesFast.Crypto;
using MesFast.Node.Config;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Commands;

/// <summary>
/// Creates (first run) or reopens a dev chain folder: genesis with chain id 1000, one witness whose key lives in
/// the folder, and a dev key funded in block 0. Both keys are fresh random keys per folder — never fixed keys.
/// </summary>
internal static class DevSetup
{
    /// <summary>1,000,000 MES for the dev key.</summary>
    public const ulong DevFunding = 1_000_000UL * 100_000_000UL;

    public const string GenesisFileName = "genesis.json";
    public const string ConfigFileName = "config.json";
    public const string WitnessKeyFileName = "witness.key";
    public const string DevKeyFileName = "dev.key";

    public static string DefaultDataDir =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".mesfast", "dev");

    /// <summary>Returns the config path inside <paramref name="dataDir"/>, creating the chain files on first use.</summary>
    public static string Prepare(string dataDir, string rpcHost, int rpcPort, out bool created)
    {
        Directory.CreateDirectory(dataDir);
        string genesisPath = Path.Combine(dataDir, GenesisFileName);
        string configPath = Path.Combine(dataDir, ConfigFileName);
        string witnessPath = Path.Combine(dataDir, WitnessKeyFileName);
        string devKeyPath = Path.Combine(dataDir, DevKeyFileName);
        created = !File.Exists(genesisPath);
        if (created)
        {
            Span<byte> witnessSeed = stackalloc byte[32], witnessPublic = stackalloc byte[32];
            Span<byte> devSeed = stackalloc byte[32], devPublic = stackalloc byte[32];
            CryptoEd25519.GenerateKey(witnessSeed, witnessPublic);
            CryptoEd25519.GenerateKey(devSeed, devPublic);
            KeyFile.WriteSeed(witnessPath, witnessSeed);
            KeyFile.WriteSeed(devKeyPath, devSeed);
            var seed = new byte[32];
            System.Security.Cryptography.RandomNumberGenerator.Fill(seed);
            var witnessKey = new Hash32(witnessPublic);
            var witnessAddress = Address.FromPublicKey(witnessPublic);
            var devAddress = Address.FromPublicKey(devPublic);
            var genesis = new Genesis(
                Genesis.DevChainId,
                (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                new Hash32(seed),
                ShardCount: 4,
                MinFeePerByte: 1,
                BlockSubsidy: 100_000_000,
                BlockIntervalMs: 500,
                [new GenesisWitness(witnessKey, witnessAddress)],
                [new GenesisAllocation(devAddress, DevFunding)]);
            GenesisLoader.Write(genesisPath, genesis);
        }
        // The config is rewritten each start so --rpc applies; the chain files above are never touched again.
        new NodeConfig(dataDir, genesisPath, witnessPath, rpcHost, rpcPort, NodeConfig.DefaultCheckpointInterval,
            NodeConfig.DefaultMempoolMaxTxs, NodeConfig.DefaultMempoolMaxBytes).Write(configPath);
        return configPath;
    }

    /// <summary>The funded dev key of a dev folder (seed, address), printed at start so the user can import it.</summary>
    public static (byte[] Seed, Address Address) ReadDevKey(string dataDir)
    {
        byte[] seed = KeyFile.ReadSeed(Path.Combine(dataDir, DevKeyFileName));
        Span<byte> publicKey = stackalloc byte[32];
        CryptoEd25519.PublicKeyFromSeed(seed, publicKey);
        return (seed, Address.FromPublicKey(publicKey));
    }
}
