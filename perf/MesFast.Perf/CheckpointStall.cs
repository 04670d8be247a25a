using System.Diagnostics;
using System.Globalization;
using MesFast.Core.Storage;
using MesFast.Storage;

namespace MesFast.Perf;

/// <summary>
/// <c>checkpoint-stall</c>: block application on four FASTER shard stores at a steady pace while state checkpoints
/// run, as a node does, with FASTER's own managed file device (the anchor) and with <see cref="ThreadedFileDevice"/>,
/// runs interleaved. Reports block apply times, the worst block right after a checkpoint starts, checkpoint duration,
/// and how late the thread pool ran a probe work item.
/// </summary>
internal static class CheckpointStall
{
    private const int Shards = 4;
    private const int KeyBytes = 36;
    private const int ValueBytes = 60;

    private sealed record Result(string Device, double ApplyP50, double ApplyP99, double ApplyMax, double AfterCheckpointMax, double CheckpointMs, double PoolLagMax);

    public static int Run(string[] args)
    {
        int blocks = Program.ArgOf(args, "--blocks", 300);
        int txsPerBlock = Program.ArgOf(args, "--txs-per-block", 1_000);
        int interval = Program.ArgOf(args, "--interval", 100);
        int blockMs = Program.ArgOf(args, "--block-ms", 100);
        int runs = Program.ArgOf(args, "--runs", 3);
        string dir = Program.ValueOf(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "mesfast-checkpoint-stall");
        Console.WriteLine($"checkpoint-stall: {Shards} shards, {blocks} blocks of {txsPerBlock:N0} transfers (1 read + 1 delete + 2 inserts each) every {blockMs} ms, checkpoint every {interval} blocks, {runs} runs per device, interleaved");
        var results = new List<Result>();
        for (int r = 0; r < runs; r++)
        {
            foreach (bool managed in new[] { true, false })
            {
                var result = RunOnce(Path.Combine(dir, "run"), managed, blocks, txsPerBlock, interval, blockMs, seed: r);
                Console.WriteLine($"  run {r + 1} {result.Device}: apply p50 {result.ApplyP50:F0} ms, p99 {result.ApplyP99:F0} ms, max {result.ApplyMax:F0} ms; worst block after a checkpoint start {result.AfterCheckpointMax:F0} ms; checkpoint {result.CheckpointMs:F0} ms; pool probe late by up to {result.PoolLagMax:F0} ms");
                results.Add(result);
            }
        }
        Console.WriteLine("| device | block apply p50 | p99 | max | worst block after checkpoint start | checkpoint | pool probe late (max) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (string device in new[] { "FASTER managed device", "ThreadedFileDevice" })
        {
            var mine = results.FindAll(x => x.Device == device);
            Console.WriteLine($"| {device} | {Median(mine, x => x.ApplyP50):F0} ms | {Median(mine, x => x.ApplyP99):F0} ms | {Median(mine, x => x.ApplyMax):F0} ms | {Median(mine, x => x.AfterCheckpointMax):F0} ms | {Median(mine, x => x.CheckpointMs):F0} ms | {Median(mine, x => x.PoolLagMax):F0} ms |");
        }
        Console.WriteLine("(medians over runs)");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static double Median(List<Result> results, Func<Result, double> pick)
    {
        var values = results.ConvertAll(x => pick(x));
        values.Sort();
        return values[values.Count / 2];
    }

    private static Result RunOnce(string dir, bool managed, int blocks, int txsPerBlock, int interval, int blockMs, int seed)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var random = new Random(seed);
        var options = new ShardStoreOptions { MemoryBytes = 256L << 20, FasterManagedDevice = managed };
        using var set = ShardStoreSet.Open(dir, Shards, options);
        var stores = set.Shards;
        var live = new List<byte[]>[Shards];
        for (int s = 0; s < Shards; s++) live[s] = [];
        var value = new byte[ValueBytes];
        long next = 0;
        byte[] NewKey()
        {
            var key = new byte[KeyBytes];
            BitConverter.TryWriteBytes(key, next++);
            random.NextBytes(key.AsSpan(8));
            return key;
        }
        for (int i = 0; i < 200_000; i++)
        {
            var key = NewKey();
            stores[key[8] % Shards].Insert(key, value);
            live[key[8] % Shards].Add(key);
        }

        using var probe = new PoolProbe();
        var applyMs = new List<double>(blocks);
        double afterCheckpointMax = 0;
        var checkpointMs = new List<double>();
        Task? checkpoint = null;
        int lastCheckpoint = -1000;
        var clock = Stopwatch.StartNew();
        var spend = new List<byte[]>[Shards];
        var create = new List<byte[]>[Shards];
        for (int s = 0; s < Shards; s++)
        {
            spend[s] = [];
            create[s] = [];
        }
        for (int b = 1; b <= blocks; b++)
        {
            long start = clock.ElapsedMilliseconds;
            for (int s = 0; s < Shards; s++)
            {
                spend[s].Clear();
                create[s].Clear();
            }
            for (int t = 0; t < txsPerBlock; t++)
            {
                int s = random.Next(Shards);
                var pool = live[s];
                int at = random.Next(pool.Count);
                spend[s].Add(pool[at]);
                pool[at] = pool[^1];
                pool.RemoveAt(pool.Count - 1);
                for (int o = 0; o < 2; o++)
                {
                    var key = NewKey();
                    create[key[8] % Shards].Add(key);
                }
            }
            long t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, Shards, s =>
            {
                var store = stores[s];
                Span<byte> read = stackalloc byte[128];
                foreach (var key in spend[s])
                {
                    store.Read(key, read);
                    store.Remove(key);
                }
                foreach (var key in create[s]) store.Insert(key, value);
            });
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            applyMs.Add(ms);
            for (int s = 0; s < Shards; s++) live[s].AddRange(create[s]);
            if (b - lastCheckpoint <= 5) afterCheckpointMax = Math.Max(afterCheckpointMax, ms);
            if (b % interval == 0)
            {
                checkpoint?.GetAwaiter().GetResult();
                long c0 = Stopwatch.GetTimestamp();
                checkpoint = set.BeginCheckpoint((ulong)b).ContinueWith(_ => { lock (checkpointMs) checkpointMs.Add(Stopwatch.GetElapsedTime(c0).TotalMilliseconds); }, TaskScheduler.Default);
                lastCheckpoint = b;
            }
            long used = clock.ElapsedMilliseconds - start;
            if (used < blockMs) Thread.Sleep((int)(blockMs - used));
        }
        checkpoint?.GetAwaiter().GetResult();
        applyMs.Sort();
        checkpointMs.Sort();
        return new Result(managed ? "FASTER managed device" : "ThreadedFileDevice",
            applyMs[applyMs.Count / 2], applyMs[(int)(applyMs.Count * 0.99)], applyMs[^1], afterCheckpointMax,
            checkpointMs.Count == 0 ? 0 : checkpointMs[checkpointMs.Count / 2], probe.MaxLateMs);
    }

    /// <summary>Queues a no-op on the thread pool every 5 ms from a thread of its own and records how late it ran.</summary>
    private sealed class PoolProbe : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _maxLateTicks;

        public PoolProbe()
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "pool-probe" };
            _thread.Start();
        }

        public double MaxLateMs => TimeSpan.FromTicks(Interlocked.Read(ref _maxLateTicks)).TotalMilliseconds;

        private void Loop()
        {
            using var ran = new ManualResetEventSlim();
            while (!_stop)
            {
                ran.Reset();
                long queued = Stopwatch.GetTimestamp();
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Set(), ran, preferLocal: false);
                ran.Wait();
                long late = Stopwatch.GetElapsedTime(queued).Ticks;
                if (late > Interlocked.Read(ref _maxLateTicks)) Interlocked.Exchange(ref _maxLateTicks, late);
                Thread.Sleep(5);
            }
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
