using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MesFast.Client;
using MesFast.Crypto;

namespace MesFast.Node.Tests.Process;

/// <summary>
/// A real 4-witness localnet over TCP on 127.0.0.1 (separate mesd processes): blocks and a transfer become final on
/// every node; with one witness killed the chain goes on; with two killed it stops without forking; restarted, they
/// catch up and the chain resumes; <c>localnet stop</c> stops everything.
/// </summary>
public sealed class LocalnetProcessTests
{
    private static int FreeBasePort()
    {
        var rng = new Random();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768+): a killed node's port must still be free when it restarts, and an
            // outgoing connection (any process's) may take any free ephemeral port meanwhile.
            int basePort = rng.Next(20_000, 32_700) & ~1;
            bool free = true;
            for (int p = basePort; p < basePort + 10 && free; p++)
            {
                try
                {
                    using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, p);
                    l.Start();
                }
                catch (System.Net.Sockets.SocketException)
                {
                    free = false;
                }
            }
            if (free) return basePort;
        }
        throw new InvalidOperationException("no free port range");
    }

    private static MesRpcClient Client(int basePort, int node) => new(new Uri($"http://127.0.0.1:{basePort + (2 * node)}/rpc"));

    private static async Task<ulong?> HeightOf(int basePort, int node)
    {
        try
        {
            using var client = Client(basePort, node);
            return await client.BlockNumberAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or MesRpcException)
        {
            return null;
        }
    }

    private static async Task<string> BlockHash(int basePort, int node, ulong height)
    {
        using var client = Client(basePort, node);
        string? json = await client.GetBlockByHeightAsync(height);
        Assert.NotNull(json);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("hash").GetString()!;
    }

    private static async Task WaitAll(int basePort, int[] nodes, ulong atLeast, string what, string dir, int timeoutSeconds = 150)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            bool all = true;
            foreach (int n in nodes) all &= (await HeightOf(basePort, n)) >= atLeast;
            if (all) return;
            if (sw.Elapsed.TotalSeconds > timeoutSeconds) Assert.Fail($"timed out: {what}\n{Logs(dir)}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the nodes agree on a height that has not moved for <paramref name="still"/>; returns it.</summary>
    private static async Task<ulong> WaitStill(int basePort, int[] nodes, TimeSpan still, string dir)
    {
        var total = Stopwatch.StartNew();
        ulong last = ulong.MaxValue;
        var since = Stopwatch.StartNew();
        while (total.Elapsed < TimeSpan.FromSeconds(60))
        {
            ulong max = 0, min = ulong.MaxValue;
            foreach (int n in nodes)
            {
                ulong h = (await HeightOf(basePort, n)) ?? 0;
                max = Math.Max(max, h);
                min = Math.Min(min, h);
            }
            if (max != last || min != max)
            {
                last = max;
                since.Restart();
            }
            else if (since.Elapsed >= still)
            {
                return max;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"the chain did not stall with two of four witnesses down\n{Logs(dir)}");
        return 0;
    }

    private static string Logs(string dir)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 4; i++)
        {
            string log = Path.Combine(dir, $"node{i}", "mesd.log");
            if (!File.Exists(log)) continue;
            string[] lines = File.ReadAllLines(log);
            text.AppendLine($"--- node{i} (last 15 lines)");
            foreach (string l in lines.AsSpan(Math.Max(0, lines.Length - 15))) text.AppendLine(l);
        }
        return text.ToString();
    }

    private static int PidOf(string dir, int node)
    {
        foreach (string line in File.ReadAllLines(Path.Combine(dir, "pids.txt")))
        {
            string[] parts = line.Split(' ');
            if (parts[0] == node.ToString(CultureInfo.InvariantCulture)) return int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no pid for node{node}");
    }

    private static void KillHard(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Every node in <paramref name="nodes"/> has the same block hash at every height 1 … <paramref name="upTo"/>.</summary>
    private static async Task AssertNoFork(int basePort, int[] nodes, ulong upTo)
    {
        for (ulong h = 1; h <= upTo; h++)
        {
            string first = await BlockHash(basePort, nodes[0], h);
            for (int k = 1; k < nodes.Length; k++) Assert.Equal(first, await BlockHash(basePort, nodes[k], h));
        }
    }

    [Fact]
    public async Task FourWitnesses_KillOne_KillTwo_Restart()
    {
        using var temp = new TempDirectory();
        string dir = Path.Combine(temp.Path, "net");
        int basePort = FreeBasePort();
        try
        {
            var (code, output) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "localnet", "--witnesses", "4", "--data", dir, "--detach",
                "--base-port", basePort.ToString(CultureInfo.InvariantCulture), "--block-interval", "300");
            Assert.True(code == 0, output);
            int[] all = [0, 1, 2, 3];
            await WaitAll(basePort, all, 3, "4 witnesses finalise blocks", dir);

            // A transfer submitted to node 1 is final on node 3.
            var dev = new Signer(Convert.FromHexString(File.ReadAllText(Path.Combine(dir, "dev.key")).Trim()));
            using var payee = Signer.Generate();
            using (var n1 = Client(basePort, 1))
            using (var n3 = Client(basePort, 3))
            {
                var utxos = await n1.GetUtxosAsync(dev.Address.ToBech32("tmes"));
                var built = TxBuilder.Transfer(1001, await n1.BlockNumberAsync(), dev, utxos, payee.Address, Hash32.Zero, 123_456, 1);
                await n1.SendRawTransactionAsync(built.Bytes);
                var sw = Stopwatch.StartNew();
                while ((await n3.GetTransactionAsync(built.TxId))?.Status != "final")
                {
                    if (sw.Elapsed > TimeSpan.FromSeconds(90)) Assert.Fail($"transfer not final on node3\n{Logs(dir)}");
                    await Task.Delay(100);
                }
                Assert.Equal(123_456UL, await n3.GetBalanceAsync(payee.Address.ToBech32("tmes")));
            }
            // Node 3 got the transfer pushed from node 1 and relayed it to its other peers by announcement.
            using (var http = new HttpClient())
            {
                string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{basePort + 6}/metrics"));
                Assert.Matches(@"(?m)^mes_p2p_peers 3$", metrics);
                Assert.Matches(@"(?m)^mes_p2p_tx_announced_total [1-9]\d*$", metrics);
                Assert.Matches(@"(?m)^mes_p2p_frames_dropped \d+$", metrics);
            }

            // Kill one witness: the other three go on (its proposer slots pass by view change).
            KillHard(PidOf(dir, 3));
            ulong before = (await HeightOf(basePort, 0))!.Value;
            await WaitAll(basePort, [0, 1, 2], before + 6, "chain goes on with 3 of 4 witnesses", dir);

            // Kill a second: 2 of 4 cannot reach the 3-vote quorum, so no block becomes final (no fork, no progress).
            // A block whose third Commit was already on its way may still finish: wait until the height holds still.
            KillHard(PidOf(dir, 2));
            ulong stalled = await WaitStill(basePort, [0, 1], TimeSpan.FromSeconds(3), dir);
            await Task.Delay(8000);
            Assert.Equal(stalled, (await HeightOf(basePort, 0))!.Value);
            Assert.Equal(stalled, (await HeightOf(basePort, 1))!.Value);
            await AssertNoFork(basePort, [0, 1], stalled);

            // Restart the two: they catch up from their peers and the chain resumes.
            (code, output) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "localnet", "--data", dir, "--detach");
            Assert.True(code == 0, output);
            await WaitAll(basePort, all, stalled + 5, "restarted witnesses catch up and the chain resumes", dir);
            await AssertNoFork(basePort, all, stalled + 5);
        }
        finally
        {
            var (code, output) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "localnet", "stop", "--data", dir);
            Assert.True(code == 0, output);
        }
        for (int i = 0; i < 4; i++) Assert.Contains("stopped cleanly", File.ReadAllText(Path.Combine(dir, $"node{i}", "mesd.log")), StringComparison.Ordinal);
    }
}
