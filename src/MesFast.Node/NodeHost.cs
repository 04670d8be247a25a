using System.Runtime.InteropServices;
using MesFast.Node.Chain;
using MesFast.Node.Config;
using MesFast.Node.Rpc;

namespace MesFast.Node;

/// <summary>Runs a node from a config until SIGINT/SIGTERM: chain thread, RPC server, clean shutdown with a checkpoint.</summary>
internal static class NodeHost
{
    public static int Run(NodeConfig config, TextWriter output, Action<ChainService, Uri>? onStarted = null)
    {
        var genesis = GenesisLoader.Load(config.GenesisPath);
        byte[]? witnessSeed = config.WitnessKeyPath is null ? null : KeyFile.ReadSeed(config.WitnessKeyPath);
        using var stop = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var chain = ChainService.Open(config, genesis, witnessSeed, output);
        RpcServer? rpc = null;
        MesFast.Network.PeerNetwork? network = null;
        int exitCode = 0;
        try
        {
            try
            {
                rpc = RpcServer.StartAsync(chain, config.RpcHost, config.RpcPort, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new ConfigException($"cannot listen on {config.RpcHost}:{config.RpcPort} ({e.Message}); is another node running? choose another --rpc");
            }
            if (config.HasP2p) network = StartNetwork(config, chain, witnessSeed, output);
            chain.Start();
            output.WriteLine($"mesd: chain {genesis.ChainId} at height {chain.TipHeight}, {genesis.ShardCount} shards, data {config.DataDir}");
            output.WriteLine($"mesd: {(chain.IsWitness ? "witness, producing a block every " + genesis.BlockIntervalMs + " ms"
                : witnessSeed is not null ? "witness key not in the current witness set (follows the chain; signs once elected)" : "full node (not a witness)")}");
            if (network is not null) output.WriteLine($"mesd: P2P {config.P2pHost}:{network.ListenPort}, node key {network.NodeKey}, {config.Peers?.Length ?? 0} configured peers");
            output.WriteLine($"mesd: JSON-RPC {new Uri(rpc.BaseUri, "/rpc")}  WebSocket {new Uri(rpc.BaseUri, "/ws")}  metrics {new Uri(rpc.BaseUri, "/metrics")}");
            onStarted?.Invoke(chain, rpc.BaseUri);
            output.Flush();
            if (WaitHandle.WaitAny([stop.WaitHandle, chain.Faulted]) == 1)
            {
                output.WriteLine($"mesd: stopping after a storage fault: {chain.FaultMessage}");
                exitCode = 1;
            }
            else
            {
                output.WriteLine("mesd: stopping");
            }
        }
        finally
        {
            rpc?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            network?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            chain.Dispose();
        }
        output.WriteLine(exitCode == 0 ? $"mesd: stopped cleanly at height {chain.TipHeight}" : $"mesd: stopped at height {chain.TipHeight}");
        return exitCode;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
    }

    /// <summary>
    /// Starts the P2P network. The node key is the witness key on a witness (peers learn which witness they talk to),
    /// else the configured node key file, else a key created once in the data folder.
    /// </summary>
    private static MesFast.Network.PeerNetwork StartNetwork(NodeConfig config, ChainService chain, byte[]? witnessSeed, TextWriter output)
    {
        byte[] nodeSeed = witnessSeed ?? LoadOrCreateNodeKey(config.NodeKeyPath ?? Path.Combine(config.DataDir, "node.key"));
        var options = new MesFast.Network.NetworkOptions
        {
            ChainId = chain.Genesis.ChainId,
            GenesisHash = chain.GenesisHash,
            NodeSeed = nodeSeed,
            ListenAddress = config.P2pHost == "localhost" ? System.Net.IPAddress.Loopback : System.Net.IPAddress.Parse(config.P2pHost!),
            ListenPort = config.P2pPort,
            Seeds = config.Peers ?? [],
        };
        var network = new MesFast.Network.PeerNetwork(options, chain, message => output.WriteLine($"mesd: p2p: {message}"));
        try
        {
            network.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ConfigException($"cannot listen for peers on {config.P2pHost}:{config.P2pPort} ({e.Message}); choose another 'p2p' address");
        }
        chain.AttachNetwork(network);
        return network;
    }

    private static byte[] LoadOrCreateNodeKey(string path)
    {
        if (File.Exists(path)) return KeyFile.ReadSeed(path);
        var seed = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(seed);
        KeyFile.WriteSeed(path, seed);
        return seed;
    }
}
