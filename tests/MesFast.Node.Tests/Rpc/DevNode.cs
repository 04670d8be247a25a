using MesFast.Client;
using MesFast.Node.Chain;
using MesFast.Node.Commands;
using MesFast.Node.Config;
using MesFast.Node.Rpc;

namespace MesFast.Node.Tests.Rpc;

/// <summary>A real dev chain in-process: FASTER stores in a temp folder, the chain thread, Kestrel on 127.0.0.1:0.</summary>
internal sealed class DevNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private DevNode()
    {
    }

    public ChainService Chain { get; private set; } = null!;

    public RpcServer Server { get; private set; } = null!;

    public Uri RpcUri => new(Server.BaseUri, "/rpc");

    public Signer DevKey { get; private set; } = null!;

    public string Hrp => Chain.Genesis.Hrp;

    public static async Task<DevNode> StartAsync()
    {
        var node = new DevNode();
        string configPath = DevSetup.Prepare(node._dir.Path, "127.0.0.1", 0, out _);
        var config = NodeConfig.Load(configPath);
        var genesis = GenesisLoader.Load(config.GenesisPath);
        node.Chain = ChainService.Open(config, genesis, KeyFile.ReadSeed(config.WitnessKeyPath!), TextWriter.Null);
        node.Server = await RpcServer.StartAsync(node.Chain, "127.0.0.1", 0, CancellationToken.None);
        node.Chain.Start();
        node.DevKey = new Signer(DevSetup.ReadDevKey(node._dir.Path).Seed);
        return node;
    }

    public MesRpcClient Client() => new(RpcUri);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Chain.Dispose();
        DevKey.Dispose();
        _dir.Dispose();
    }
}
