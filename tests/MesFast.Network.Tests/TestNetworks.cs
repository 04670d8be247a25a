using System.Diagnostics;
using MesFast.Crypto;

namespace MesFast.Network.Tests;

internal static class TestNetworks
{
    public const uint ChainId = 77;
    public static readonly Hash32 Genesis = DomainHash.Compute(DomainHash.Header, "test-genesis"u8);

    public static byte[] Seed(int i)
    {
        var seed = new byte[32];
        seed[0] = (byte)i;
        seed[1] = 0x5a;
        return seed;
    }

    public static NetworkOptions Options(int i, IReadOnlyList<string>? seeds = null, uint chainId = ChainId, Hash32? genesis = null, int port = 0,
        TimeSpan? syncGrace = null) => new()
    {
        SyncGrace = syncGrace ?? TimeSpan.FromMilliseconds(300),
        ChainId = chainId,
        GenesisHash = genesis ?? Genesis,
        NodeSeed = Seed(i),
        ListenPort = port,
        Seeds = seeds ?? [],
        MinBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(1),
        MaintenanceInterval = TimeSpan.FromMilliseconds(50),
        StatusInterval = TimeSpan.FromMilliseconds(200),
        PeerExchangeInterval = TimeSpan.FromMilliseconds(300),
        SyncRequestTimeout = TimeSpan.FromSeconds(2),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Options for node i that dial only <paramref name="seeds"/>: no peer exchange, so a line or star stays as built.</summary>
    public static NetworkOptions FixedTopology(int i, IReadOnlyList<string> seeds)
    {
        var options = Options(i, seeds);
        return new NetworkOptions
        {
            ChainId = options.ChainId, GenesisHash = options.GenesisHash, NodeSeed = options.NodeSeed, Seeds = options.Seeds,
            MaintenanceInterval = options.MaintenanceInterval, PeerExchangeInterval = TimeSpan.FromHours(1), MaxKnownAddresses = 1,
            MinBackoff = options.MinBackoff, MaxBackoff = options.MaxBackoff,
        };
    }

    /// <summary>
    /// Fills <paramref name="nets"/> with a line a-b-c-… (each node dials the one before it, no peer exchange) and
    /// <paramref name="handlers"/> with fresh handlers, then waits until every link is up. The caller disposes nets.
    /// </summary>
    public static async Task StartLine(TestHandler[] handlers, PeerNetwork[] nets)
    {
        for (int i = 0; i < nets.Length; i++)
        {
            handlers[i] = new TestHandler();
            nets[i] = Start(FixedTopology(i + 1, i == 0 ? [] : [Address(nets[i - 1])]), handlers[i]);
        }
        await Eventually(() =>
        {
            for (int i = 0; i < nets.Length; i++)
                if (nets[i].PeerCount != (i == 0 || i == nets.Length - 1 ? 1 : 2)) return false;
            return true;
        }, "line formed");
    }

    public static PeerNetwork Start(NetworkOptions options, INetworkHandler handler)
    {
        var network = new PeerNetwork(options, handler);
        network.Start();
        return network;
    }

    public static string Address(PeerNetwork network) => $"127.0.0.1:{network.ListenPort}";

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task Eventually(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
