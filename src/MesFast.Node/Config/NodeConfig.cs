namespace MesFast.Node.Config;

/// <summary>A validated node config: where data lives, which genesis and witness key to use, where RPC listens.</summary>
internal sealed record NodeConfig(
    string DataDir,
    string GenesisPath,
    string? WitnessKeyPath,
    string RpcHost,
    int RpcPort,
    int CheckpointInterval,
    int MempoolMaxTxs,
    long MempoolMaxBytes,
    string? P2pHost = null,
    int P2pPort = 0,
    string[]? Peers = null,
    string? NodeKeyPath = null,
    int MaxBlockTxs = NodeConfig.DefaultMaxBlockTxs,
    int StateMemoryMiB = NodeConfig.DefaultStateMemoryMiB)
{
    /// <summary>
    /// MiB of each SSA shard store's hybrid log kept in memory (a power of two); older records are read back from disk.
    /// (The stalls right after a checkpoint start once blamed on 64 MiB were thread-pool starvation by FASTER's page
    /// writes, fixed by ThreadedFileDevice; perf/RESULTS.md.) Pages are allocated as the log grows, so a small chain
    /// stays small.
    /// </summary>
    public const int DefaultStateMemoryMiB = 256;

    /// <summary>
    /// Most transactions this node puts in a block it proposes (a local policy; the protocol allows 16,384). A block
    /// must be built, sent and executed by every witness within the view timeout; the default is the protocol cap
    /// since full blocks fit it on a 4-witness localnet (perf/RESULTS.md); seven witnesses on two cores still overrun
    /// it, so an operator of a small machine may set it lower.
    /// </summary>
    public const int DefaultMaxBlockTxs = 16_384;

    /// <summary>True when the node talks to peers (a "p2p" listen address is configured).</summary>
    public bool HasP2p => P2pHost is not null;

    public const int DefaultRpcPort = 8645;
    public const int DefaultCheckpointInterval = 100;
    public const int DefaultMempoolMaxTxs = 200_000;
    public const long DefaultMempoolMaxBytes = 256L << 20;

    public static NodeConfig Load(string path)
    {
        string name = Path.GetFileName(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var file = JsonFiles.Read(path, ConfigJsonContext.Default.NodeConfigFile);
        string Resolve(string p) => Path.GetFullPath(Path.Combine(folder, p));

        var (host, port) = FieldParsers.Endpoint(file.Rpc ?? $"127.0.0.1:{DefaultRpcPort}", name, "rpc");
        int checkpoint = file.CheckpointInterval ?? DefaultCheckpointInterval;
        if (checkpoint < 1 || checkpoint > 100_000)
            throw new ConfigException($"{name}: field 'checkpointInterval' must be 1 … 100000 blocks, got {checkpoint}");
        int maxTxs = file.MempoolMaxTxs ?? DefaultMempoolMaxTxs;
        if (maxTxs < 1 || maxTxs > 10_000_000)
            throw new ConfigException($"{name}: field 'mempoolMaxTxs' must be 1 … 10000000, got {maxTxs}");
        long maxBytes = file.MempoolMaxBytes ?? DefaultMempoolMaxBytes;
        if (maxBytes < (1 << 20) || maxBytes > (64L << 30))
            throw new ConfigException($"{name}: field 'mempoolMaxBytes' must be 1 MiB … 64 GiB, got {maxBytes}");
        string? p2pHost = null;
        int p2pPort = 0;
        if (file.P2p is not null) (p2pHost, p2pPort) = FieldParsers.Endpoint(file.P2p, name, "p2p");
        var peers = file.Peers ?? [];
        if (peers.Count > 256) throw new ConfigException($"{name}: field 'peers' lists {peers.Count} addresses, the limit is 256");
        for (int i = 0; i < peers.Count; i++)
        {
            if (!MesFast.Network.PeerAddress.TryParse(peers[i] ?? "", out _, out _))
                throw new ConfigException($"{name}: field 'peers[{i}]' must be HOST:PORT, got '{peers[i]}'");
        }
        if (peers.Count > 0 && p2pHost is null) throw new ConfigException($"{name}: field 'peers' needs a 'p2p' listen address");
        int maxBlockTxs = file.MaxBlockTxs ?? DefaultMaxBlockTxs;
        if (maxBlockTxs < 1 || maxBlockTxs > MesFast.Core.ProtocolLimits.MaxBlockTxs)
            throw new ConfigException($"{name}: field 'maxBlockTxs' must be 1 … {MesFast.Core.ProtocolLimits.MaxBlockTxs}, got {maxBlockTxs}");
        int stateMemory = file.StateMemoryMiB ?? DefaultStateMemoryMiB;
        if (stateMemory < 4 || stateMemory > 65_536 || (stateMemory & (stateMemory - 1)) != 0)
            throw new ConfigException($"{name}: field 'stateMemoryMiB' must be a power of two from 4 to 65536, got {stateMemory}");
        return new NodeConfig(
            Resolve(FieldParsers.Required(file.DataDir, name, "dataDir")),
            Resolve(FieldParsers.Required(file.GenesisFile, name, "genesisFile")),
            file.WitnessKeyFile is null ? null : Resolve(file.WitnessKeyFile),
            host, port, checkpoint, maxTxs, maxBytes,
            p2pHost, p2pPort, [.. peers], file.NodeKeyFile is null ? null : Resolve(file.NodeKeyFile), maxBlockTxs,
            stateMemory);
    }

    public void Write(string path)
    {
        var file = new NodeConfigFile
        {
            DataDir = DataDir,
            GenesisFile = GenesisPath,
            WitnessKeyFile = WitnessKeyPath,
            Rpc = RpcHost.Contains(':', StringComparison.Ordinal) ? $"[{RpcHost}]:{RpcPort}" : $"{RpcHost}:{RpcPort}",
            CheckpointInterval = CheckpointInterval,
            MempoolMaxTxs = MempoolMaxTxs,
            MempoolMaxBytes = MempoolMaxBytes,
            P2p = P2pHost is null ? null : P2pHost.Contains(':', StringComparison.Ordinal) ? $"[{P2pHost}]:{P2pPort}" : $"{P2pHost}:{P2pPort}",
            Peers = Peers is { Length: > 0 } ? [.. Peers] : null,
            NodeKeyFile = NodeKeyPath,
            MaxBlockTxs = MaxBlockTxs == DefaultMaxBlockTxs ? null : MaxBlockTxs,
            StateMemoryMiB = StateMemoryMiB == DefaultStateMemoryMiB ? null : StateMemoryMiB,
        };
        JsonFiles.Write(path, file, ConfigJsonContext.Default.NodeConfigFile);
    }
}
