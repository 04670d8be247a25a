using System.Diagnostics;
using System.Globalization;
using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Crypto;
using MesFast.Storage;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Perf;

/// <summary>
/// Whole-node throughput runs (not unit tests): <c>replay</c> generates a block log of signed transfers once and
/// measures applying it from the log — decode, hash, verify, apply, checkpoint — per shard count, next to the
/// anchor measured in the same run (our batch verification rate per core); plus FASTER UTXO ops/s and the
/// memory and disk bytes per live UTXO. <c>localnet</c> and <c>flood</c> load running nodes over RPC;
/// <c>checkpoint-stall</c> measures block application while state checkpoints run, per file device.
/// </summary>
internal static class Program
{
    /// <summary>--no-verify: replay without signature checks, to see what everything else costs (diagnostic only).</summary>
    private static bool SkipVerification;

    private static int Main(string[] args)
    {
        SkipVerification = args.Contains("--no-verify");
        if (args.Length > 0 && args[0] == "checkpoint-stall") return CheckpointStall.Run(args);
        if (args.Length > 0 && args[0] == "localnet") return LocalnetLoad.RunAsync(args).GetAwaiter().GetResult();
        if (args.Length > 0 && args[0] == "flood")
        {
            var pidText = Value(args, "--pid");
            return Flood.RunAsync(new Uri(Value(args, "--rpc") ?? "http://127.0.0.1:8645/rpc"),
                Convert.FromHexString(Value(args, "--seed-hex") ?? throw new ArgumentException("flood needs --seed-hex")),
                Arg(args, "--txs", 200_000), pidText is null ? null : int.Parse(pidText, CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
        }
        int txs = Arg(args, "--txs", 1_000_000);
        int perBlock = Arg(args, "--per-block", 5_000);
        int runs = Arg(args, "--runs", 1);
        string shardList = Value(args, "--shards") ?? "1,2,4,8,16";
        string dir = Value(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "mesfast-perf");
        var shardCounts = shardList.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        const int generatedShards = 4;

        string blocksDir = Path.Combine(dir, "blocks");
        if (!Directory.Exists(blocksDir))
        {
            Console.WriteLine($"generating {txs:N0} signed transfers in blocks of {perBlock:N0} into {dir} …");
            var gen = Stopwatch.StartNew();
            ChainGenerator.Generate(dir, txs, perBlock, generatedShards, Console.Out);
            Console.WriteLine($"generated in {gen.Elapsed.TotalSeconds:F0} s");
            Directory.Delete(Path.Combine(dir, "gen-state"), recursive: true);
        }

        // The anchor is measured before every replay run and its median used: on a shared machine a single
        // measurement swings by ±10 %, and the ratio must compare like with like.
        var anchors = new List<double>();
        var rows = new List<(int Shards, double Median, double Checkpoint, string Roots)>();
        string perUtxoLine = "";
        foreach (int shards in shardCounts)
        {
            var rates = new List<double>();
            var checkpoints = new List<double>();
            string rootCheck = "";
            for (int r = 0; r < runs; r++)
            {
                anchors.Add(MeasureBatchVerifyPerCore());
                var (rate, checkpointSeconds, matched, perUtxo) = Replay(blocksDir, Path.Combine(dir, $"replay-{shards}"), shards, shards == generatedShards);
                rates.Add(rate);
                checkpoints.Add(checkpointSeconds);
                rootCheck = shards == generatedShards ? (matched ? "equals every header" : "MISMATCH") : "(headers made with 4 shards)";
                if (r == 0 && shards == generatedShards) perUtxoLine = perUtxo;
            }
            rates.Sort();
            checkpoints.Sort();
            rows.Add((shards, rates[rates.Count / 2], checkpoints[checkpoints.Count / 2], rootCheck));
        }
        anchors.Sort();
        double verifyPerCore = anchors[anchors.Count / 2];
        double bar = 0.7 * 2 * verifyPerCore;
        Console.WriteLine($"anchor: batch-64 verification {verifyPerCore:F0} signatures/s per core (median of {anchors.Count}, range {anchors[0]:F0}–{anchors[^1]:F0}) → bar 0.7 × 2 × that = {bar:F0} tx/s");
        Console.WriteLine("| shards | replay tx/s (median) | runs | vs bar | final checkpoint (median) | state root |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Shards} | {row.Median:F0} | {runs} | {row.Median / bar:F2}× | {row.Checkpoint:F2} s | {row.Roots} |");
        Console.WriteLine(perUtxoLine);
        FasterOps(Path.Combine(dir, "faster-ops"));
        return 0;
    }

    /// <summary>Replays every block (decode, txid hashing, batch verification, validation, per-shard apply) and then checkpoints the shards; the rate is of the replay, the checkpoint is timed apart (it is I/O, done every K blocks in a node).</summary>
    private static (double TxPerSecond, double CheckpointSeconds, bool RootsMatched, string PerUtxo) Replay(string blocksDir, string stateDir, int shards, bool checkRoots)
    {
        if (Directory.Exists(stateDir)) Directory.Delete(stateDir, recursive: true);
        using var blocks = BlockStore.Open(blocksDir);
        // Read every frame before timing: the measurement is decode + hash + verify + apply + checkpoint.
        var encoded = new List<byte[]>();
        for (ulong h = 0; h <= blocks.TipHeight; h++) encoded.Add(blocks.ReadBlock(h)!);
        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(true) + Environment.WorkingSet;
        using var stores = ShardStoreSet.Open(stateDir, shards, new ShardStoreOptions { MemoryBytes = Math.Max(64L << 20, (1L << 30) / shards), IndexBuckets = Math.Max(1L << 14, (1L << 21) / shards) });
        var ledger = LedgerState.Open(stores.Shards, ChainGenerator.Rules(shards));
        bool matched = true;
        long transactions = 0;
        var clock = Stopwatch.StartNew();
        PendingVerification? next = null;
        for (int b = 0; b < encoded.Count; b++)
        {
            if (!BlockView.TryDecode(encoded[b], out var view, out var failure)) throw new InvalidDataException(failure.ToString());
            var current = next;
            // The next block's signatures are checked while this one validates and applies.
            next = b + 1 < encoded.Count && BlockView.TryDecode(encoded[b + 1], out var following, out _)
                ? LedgerState.BeginVerification(following, SkipVerification ? ChainGenerator.Trusted : null)
                : null;
            if (!ledger.TryApplyBlock(view, ChainGenerator.Producer, SkipVerification ? ChainGenerator.Trusted : null, out _, out var rejection, current))
                throw new InvalidDataException(rejection.ToString());
            if (checkRoots && ledger.StateRoot != view.Header.StateRoot) matched = false;
            transactions += view.TxCount;
        }
        double applySeconds = clock.Elapsed.TotalSeconds;
        ledger.Checkpoint();
        double seconds = clock.Elapsed.TotalSeconds;

        long live = 0;
        for (int s = 0; s < shards; s++) live += ledger.ShardRecordCount(s) - 1; // minus the meta record
        long memoryAfter = GC.GetTotalMemory(false) + Environment.WorkingSet;
        string perUtxo = $"live UTXOs {live:N0}: disk {stores.DiskBytes / (double)live:F0} B per UTXO (log + checkpoint), memory ≈ {(memoryAfter - memoryBefore) / 2.0 / live:F0} B per UTXO (working-set + GC growth / 2)";
        return (transactions / applySeconds, seconds - applySeconds, matched, perUtxo);
    }

    private static double MeasureBatchVerifyPerCore()
    {
        const int n = 64;
        var keys = new byte[n * 32];
        var sigs = new byte[n * 64];
        var msgs = new byte[n * 32];
        var seed = new byte[32];
        for (int i = 0; i < n; i++)
        {
            Random.Shared.NextBytes(msgs.AsSpan(i * 32, 32));
            CryptoEd25519.GenerateKey(seed, keys.AsSpan(i * 32, 32));
            CryptoEd25519.Sign(seed, msgs.AsSpan(i * 32, 32), sigs.AsSpan(i * 64, 64));
        }
        var valid = new bool[n];
        var rates = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            int batches = 0;
            while (clock.ElapsedMilliseconds < 600)
            {
                if (Ed25519Batch.Verify(keys, sigs, msgs, 32, valid) != 0) throw new InvalidOperationException("benchmark signatures invalid");
                batches++;
            }
            rates.Add(batches * n / clock.Elapsed.TotalSeconds);
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static void FasterOps(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        const int n = 1_000_000;
        using var store = FasterShardStore.Open(0, dir, new ShardStoreOptions { MemoryBytes = 256L << 20, IndexBuckets = 1 << 20 }, null);
        var key = new byte[35];
        var value = new byte[68];
        key[0] = 1;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            BitConverter.TryWriteBytes(key.AsSpan(1), i);
            store.Upsert(key, value);
        }
        double upserts = n / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int i = 0; i < n; i++)
        {
            BitConverter.TryWriteBytes(key.AsSpan(1), i);
            if (store.Read(key, value) != 68) throw new InvalidOperationException("missing record");
        }
        double reads = n / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int i = 0; i < n; i++)
        {
            BitConverter.TryWriteBytes(key.AsSpan(1), i);
            store.Delete(key);
        }
        double deletes = n / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"FASTER shard store, one thread, 1M UTXO-shaped records (35 B key, 68 B value): upsert {upserts:F0}/s (incl. presence check for the exact count), read {reads:F0}/s, delete {deletes:F0}/s");
    }

    internal static string? ValueOf(string[] args, string flag) => Value(args, flag);

    internal static int ArgOf(string[] args, string flag, int fallback) => Arg(args, flag, fallback);

    private static string? Value(string[] args, string flag)
    {
        int i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Arg(string[] args, string flag, int fallback) =>
        Value(args, flag) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
