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
            chain.Start();
            output.WriteLine($"mesd: chain {genesis.ChainId} at height {chain.TipHeight}, {genesis.ShardCount} shards, data {config.DataDir}");
            output.WriteLine($"mesd: {(chain.IsWitness ? "witness, producing a block every " + genesis.BlockIntervalMs + " ms" : "full node (not a witness)")}");
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
}
