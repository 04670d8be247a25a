using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Config;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Commands;

/// <summary>
/// Files of a local network under one folder: <c>genesis.json</c>, <c>dev.key</c> (funded), and per node
/// <c>nodeI/config.json</c>, <c>nodeI/witness.key</c> (witnesses), <c>nodeI/data/</c>, <c>nodeI/mesd.log</c>;
/// <c>pids.txt</c> lists the running processes. Node i listens for RPC on basePort + 2i and for peers on
/// basePort + 2i + 1; every node lists every other node as a peer (a full mesh, so consensus messages go direct).
/// </summary>
internal sealed class LocalnetLayout(string root)
{
    public const uint ChainId = 1001;

    public string Root { get; } = root;

    public string GenesisPath => Path.Combine(Root, "genesis.json");

    public string DevKeyPath => Path.Combine(Root, "dev.key");

    public string PidsPath => Path.Combine(Root, "pids.txt");

    public string NodeDir(int i) => Path.Combine(Root, $"node{i}");

    public string ConfigPath(int i) => Path.Combine(NodeDir(i), "config.json");

    public string LogPath(int i) => Path.Combine(NodeDir(i), "mesd.log");

    public bool Exists => File.Exists(GenesisPath);

    /// <summary>Node count of an existing layout (folders with a config).</summary>
    public int NodeCount
    {
        get
        {
            int n = 0;
            while (File.Exists(ConfigPath(n))) n++;
            return n;
        }
    }

    /// <summary>Writes a fresh genesis (fresh random keys), keys and configs.</summary>
    public void Create(int witnesses, int fullNodes, int basePort, int blockIntervalMs, int shards)
    {
        Directory.CreateDirectory(Root);
        int nodes = witnesses + fullNodes;
        var genesisWitnesses = new GenesisWitness[witnesses];
        Span<byte> seed = stackalloc byte[32], publicKey = stackalloc byte[32];
        for (int i = 0; i < witnesses; i++)
        {
            Directory.CreateDirectory(NodeDir(i));
            CryptoEd25519.GenerateKey(seed, publicKey);
            KeyFile.WriteSeed(Path.Combine(NodeDir(i), "witness.key"), seed);
            genesisWitnesses[i] = new GenesisWitness(new Hash32(publicKey), Address.FromPublicKey(publicKey));
        }
        CryptoEd25519.GenerateKey(seed, publicKey);
        KeyFile.WriteSeed(DevKeyPath, seed);
        var genesisSeed = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(genesisSeed);
        var genesis = new Genesis(ChainId, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), new Hash32(genesisSeed), shards,
            MinFeePerByte: 1, BlockSubsidy: 100_000_000, blockIntervalMs, genesisWitnesses,
            [new GenesisAllocation(Address.FromPublicKey(publicKey), DevSetup.DevFunding)])
        {
            // DEC must not shrink a localnet below the witnesses it was started with (a flood would otherwise fill
            // blocks, make the epoch congested and leave one witness); growth needs staked candidates.
            Dpos = DposParams.Default with { MinWitnesses = Dec.FloorToBftSize(Math.Min(witnesses, DposParams.Default.MaxWitnesses)) },
        };
        GenesisLoader.Write(GenesisPath, genesis);
        for (int i = 0; i < nodes; i++)
        {
            Directory.CreateDirectory(NodeDir(i));
            var peers = new List<string>();
            for (int j = 0; j < nodes; j++) if (j != i) peers.Add($"127.0.0.1:{basePort + (2 * j) + 1}");
            new NodeConfig(Path.Combine(NodeDir(i), "data"), GenesisPath, i < witnesses ? Path.Combine(NodeDir(i), "witness.key") : null,
                "127.0.0.1", basePort + (2 * i), NodeConfig.DefaultCheckpointInterval, NodeConfig.DefaultMempoolMaxTxs, NodeConfig.DefaultMempoolMaxBytes,
                "127.0.0.1", basePort + (2 * i) + 1, [.. peers]).Write(ConfigPath(i));
        }
    }

    /// <summary>Recorded process ids by node index (-1 for none).</summary>
    public int[] ReadPids(int nodes)
    {
        var pids = new int[nodes];
        Array.Fill(pids, -1);
        if (!File.Exists(PidsPath)) return pids;
        foreach (string line in File.ReadAllLines(PidsPath))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out int node) && int.TryParse(parts[1], out int pid) && (uint)node < (uint)nodes) pids[node] = pid;
        }
        return pids;
    }

    public void WritePids(int[] pids)
    {
        var lines = new List<string>();
        for (int i = 0; i < pids.Length; i++) if (pids[i] > 0) lines.Add($"{i} {pids[i]}");
        string temp = PidsPath + ".tmp";
        File.WriteAllLines(temp, lines);
        File.Move(temp, PidsPath, overwrite: true);
    }
}
