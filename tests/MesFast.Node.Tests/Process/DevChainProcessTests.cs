using System.Diagnostics;
using System.Text.RegularExpressions;
using MesFast.Client;
using MesFast.Crypto;

namespace MesFast.Node.Tests.Process;

/// <summary>Real <c>mesd</c> and <c>mes</c> processes on 127.0.0.1: the README walkthrough and crash recovery.</summary>
public sealed partial class DevChainProcessTests
{
    [GeneratedRegex(@"seed\s+([0-9a-f]{64})")]
    private static partial Regex SeedLine();

    [Fact]
    public async Task Walkthrough_send_with_mes_is_final_quickly_and_survives_a_clean_restart()
    {
        using var dir = new TempDirectory();
        string data = Path.Combine(dir.Path, "chain");
        using var node = NodeProcess.Start("dev", "--data", data, "--rpc", "127.0.0.1:{port}");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        string seed = SeedLine().Match(node.Output).Groups[1].Value;
        Assert.Equal(64, seed.Length);
        var env = new Dictionary<string, string>
        {
            ["MES_RPC"] = node.RpcUri.ToString(),
            ["MES_KEYSTORE"] = Path.Combine(dir.Path, "keys"),
            ["MES_PASSWORD"] = "walkthrough password",
        };
        var imported = CliProcess.Run(env, "keys", "import", "dev", "--seed-hex", seed);
        Assert.True(imported.ExitCode == 0, imported.Error);
        var created = CliProcess.Run(env, "keys", "new", "alice", "--json");
        Assert.True(created.ExitCode == 0, created.Error);
        string alice = System.Text.Json.JsonDocument.Parse(created.Out).RootElement.GetProperty("address").GetString()!;

        var clock = Stopwatch.StartNew();
        var sent = CliProcess.Run(env, "send", "dev", alice, "12.5", "--wait", "--json");
        clock.Stop();
        Assert.True(sent.ExitCode == 0, sent.Error);
        using var sentJson = System.Text.Json.JsonDocument.Parse(sent.Out);
        Assert.Equal("final", sentJson.RootElement.GetProperty("status").GetString());
        var txid = Hash32.Parse(sentJson.RootElement.GetProperty("txid").GetString()!);
        Console.WriteLine($"mes send --wait to a fresh address: final after {clock.ElapsedMilliseconds} ms (incl. CLI start)");

        var balance = CliProcess.Run(env, "balance", alice);
        Assert.Equal("12.5 MES", balance.Out.Trim());
        var issued = CliProcess.Run(env, "asset", "issue", "dev", "--name", "Film Rights", "--symbol", "FILM", "--decimals", "2", "--supply", "1000", "--wait");
        Assert.True(issued.ExitCode == 0, issued.Error);
        string assetId = Regex.Match(issued.Out, "asset id ([0-9a-f]{64})").Groups[1].Value;
        var shown = CliProcess.Run(env, "asset", "show", assetId);
        Assert.Contains("supply   1000 FILM", shown.Out, StringComparison.Ordinal);
        Assert.Equal("1000 FILM", CliProcess.Run(env, "balance", "dev", "--asset", assetId).Out.Trim());
        var badAmount = CliProcess.Run(env, "send", "dev", alice, "1.123456789");
        Assert.Equal(2, badAmount.ExitCode);
        Assert.Contains("has 9 decimals; MES has 8", badAmount.Error, StringComparison.Ordinal);

        Assert.Equal(0, node.Stop(TimeSpan.FromSeconds(30)));
        Assert.Contains("stopped cleanly", node.Output, StringComparison.Ordinal);
        // The tip's certificate is not inside any block yet; the block log keeps it with the block for the restart.
        using (var log = MesFast.Storage.BlockStore.Open(Path.Combine(data, "blocks")))
        {
            Assert.True(MesFast.Core.Types.CommitCertificate.TryDecode(log.ReadCertificate(log.TipHeight), out var tipCertificate, out _));
            Assert.Equal(log.TipHeight, tipCertificate.Height);
            Assert.Single(tipCertificate.Signatures);
        }
        using var again = NodeProcess.Start("dev", "--data", data, "--rpc", "127.0.0.1:{port}");
        await again.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var client = new MesRpcClient(again.RpcUri);
        var info = await client.GetTransactionAsync(txid);
        Assert.Equal("final", info!.Status);
        Assert.Equal(1_250_000_000UL, await client.GetBalanceAsync(alice));
    }

    [Fact]
    public async Task Sigkill_at_random_moments_loses_no_final_transaction_and_replay_matches()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MESFAST_TEST_SEED"), out int s) ? s : Random.Shared.Next();
        var rng = new Random(seed);
        int kills = int.TryParse(Environment.GetEnvironmentVariable("MESFAST_KILLS"), out int k) ? k : 20;
        using var dir = new TempDirectory();
        string data = Path.Combine(dir.Path, "chain");
        var final = new HashSet<Hash32>();
        Signer? dev = null;
        using var payee = Signer.Generate();
        for (int round = 0; round < kills; round++)
        {
            using var node = NodeProcess.Start("dev", "--data", data, "--rpc", "127.0.0.1:{port}");
            await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            dev ??= new Signer(Convert.FromHexString(SeedLine().Match(node.Output).Groups[1].Value));
            using var client = new MesRpcClient(node.RpcUri);
            foreach (var txid in final)
            {
                var info = await client.GetTransactionAsync(txid);
                Assert.True(info is { Status: "final" }, $"seed {seed}, round {round}: {txid} was final before the kill and is {info?.Status ?? "missing"} now\n{node.Output}");
            }
            // Load: a stream of transfers from the dev key, each spending the previous change; some become final.
            var killAt = TimeSpan.FromMilliseconds(rng.Next(300, 1500));
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < killAt)
            {
                var utxos = await client.GetUtxosAsync(dev.Address.ToBech32("tmes"));
                ulong height = await client.BlockNumberAsync();
                var built = TxBuilder.Transfer(1000, height, dev, utxos, payee.Address, Hash32.Zero, (ulong)rng.Next(1, 1000), 1);
                try
                {
                    await client.SendRawTransactionAsync(built.Bytes);
                }
                catch (MesRpcException)
                {
                    continue; // a conflict with a still-pending transfer: try again with fresh outputs
                }
                for (int i = 0; i < 40 && clock.Elapsed < killAt; i++)
                {
                    var info = await client.GetTransactionAsync(built.TxId);
                    if (info is { Status: "final" })
                    {
                        final.Add(built.TxId);
                        break;
                    }
                    await Task.Delay(25);
                }
            }
            node.Kill();
        }
        // Kills land at random moments, some before any transfer of their round is final; over the run most rounds commit some.
        Assert.True(final.Count >= kills / 2, $"seed {seed}: only {final.Count} transfers became final under load");

        // The surviving data replays from genesis to the same state roots, block by block.
        var (code, output) = NodeProcess.RunToEnd(TimeSpan.FromMinutes(5), "verify", "--data", data);
        Assert.True(code == 0, $"seed {seed}: {output}");
        Assert.Contains("matches the tip header", output, StringComparison.Ordinal);
        dev?.Dispose();
    }
}
