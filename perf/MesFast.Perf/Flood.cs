using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MesFast.Client;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Perf;

/// <summary>
/// <c>flood --rpc URL --seed-hex DEVSEED [--txs N] [--pid NODEPID]</c>: against a running dev node, fans the dev
/// key's funds out into N outputs, signs N independent transfers, and submits them as fast as 32 concurrent
/// JSON-RPC batch posts allow, while a probe measures mes_blockNumber latency (is the node responsive?) and the
/// node's resident memory is sampled. Reports acceptances and refusals by code.
/// </summary>
internal static class Flood
{
    public static async Task<int> RunAsync(Uri rpc, byte[] devSeed, int count, int? pid)
    {
        using var client = new MesRpcClient(rpc);
        using var dev = new Signer(devSeed);
        uint chainId = await client.ChainIdAsync();
        string hrp = chainId == 1 ? "mes" : "tmes";
        Console.WriteLine($"fanning out {count:N0} outputs …");
        var coins = await FanOutAsync(client, chainId, dev, hrp, count);
        ulong height = await client.BlockNumberAsync();
        var txs = new byte[coins.Count][];
        Parallel.For(0, coins.Count, i =>
        {
            var utxo = coins[i];
            var payload = new Transaction
            {
                ChainId = chainId,
                ValidUntil = height + 1000,
                Inputs = [new TxInput(utxo.TxId, utxo.Index)],
                Outputs = [new TxOutput(Hash32.Zero, utxo.Amount - 1000, dev.Address)],
            };
            txs[i] = payload.WithWitnesses([dev.Witness(payload.ComputeTxId())]).ToBytes();
        });
        Console.WriteLine($"signed {txs.Length:N0} transfers; flooding …");

        var codes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var latencies = new List<double>();
        long peakRss = 0;
        using var stop = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            using var probeClient = new MesRpcClient(rpc);
            while (!stop.IsCancellationRequested)
            {
                var t = Stopwatch.StartNew();
                await probeClient.BlockNumberAsync();
                lock (latencies) latencies.Add(t.Elapsed.TotalMilliseconds);
                if (pid is { } p) peakRss = Math.Max(peakRss, Rss(p));
                await Task.Delay(50);
            }
        });
        var clock = Stopwatch.StartNew();
        int next = -1;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var workers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                int start = Interlocked.Add(ref next, 100) - 99;
                if (start >= txs.Length) return;
                int end = Math.Min(txs.Length, start + 100);
                var body = new StringBuilder("[");
                for (int i = start; i < end; i++)
                    body.Append(i == start ? "" : ",").Append("{\"jsonrpc\":\"2.0\",\"id\":").Append(i).Append(",\"method\":\"mes_sendRawTransaction\",\"params\":[\"").Append(Convert.ToHexStringLower(txs[i])).Append("\"]}");
                body.Append(']');
                using var response = await http.PostAsync(rpc, new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                foreach (var item in doc.RootElement.EnumerateArray())
                {
                    string code = item.TryGetProperty("error", out var e) ? (e.TryGetProperty("data", out var d) ? d.GetString()! : e.GetProperty("code").ToString()) : "accepted";
                    codes.AddOrUpdate(code, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        double submitSeconds = clock.Elapsed.TotalSeconds;
        // Let the pool drain into blocks for a few seconds, still probing.
        await Task.Delay(5000);
        await stop.CancelAsync();
        await probe;
        latencies.Sort();
        Console.WriteLine($"submitted {txs.Length:N0} in {submitSeconds:F1} s ({txs.Length / submitSeconds:F0}/s): " + string.Join(", ", codes.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0}")));
        Console.WriteLine($"mes_blockNumber during the flood: p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms, max {latencies[^1]:F1} ms ({latencies.Count} probes)");
        if (pid is not null) Console.WriteLine($"node peak RSS {peakRss / (1 << 20)} MiB");
        Console.WriteLine($"final height {await client.BlockNumberAsync()}");
        return 0;
    }

    /// <summary>Splits the dev key's outputs in rounds of 256-output transfers until there are <paramref name="count"/> outputs.</summary>
    internal static async Task<List<UtxoInfo>> FanOutAsync(MesRpcClient client, uint chainId, Signer dev, string hrp, int count)
    {
        string address = dev.Address.ToBech32(hrp);
        while (true)
        {
            var utxos = (await client.GetUtxosAsync(address)).Where(u => u.Asset == Hash32.Zero).OrderByDescending(u => u.Amount).ToList();
            if (utxos.Count >= count) return utxos.Take(count).ToList();
            ulong height = await client.BlockNumberAsync();
            int needed = count - utxos.Count;
            var sent = new List<Hash32>();
            foreach (var u in utxos.Take(Math.Max(1, (needed + 254) / 255)))
            {
                if (u.Amount < 256 * 100_000) continue;
                var outputs = new TxOutput[256];
                ulong each = (u.Amount - 100_000) / 256;
                for (int i = 0; i < 256; i++) outputs[i] = new TxOutput(Hash32.Zero, each, dev.Address);
                var tx = new Transaction { ChainId = chainId, ValidUntil = height + 100, Inputs = [new TxInput(u.TxId, u.Index)], Outputs = outputs };
                var signed = tx.WithWitnesses([dev.Witness(tx.ComputeTxId())]);
                sent.Add(await client.SendRawTransactionAsync(signed.ToBytes()));
            }
            foreach (var txid in sent)
                while ((await client.GetTransactionAsync(txid))?.Status != "final") await Task.Delay(50);
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
