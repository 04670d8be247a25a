using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MesFast.Client;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Perf;

/// <summary>
/// <c>localnet --mesd PATH [--witnesses 4] [--rate 10000] [--seconds 60] [--flood 200000] [--block-interval 500] [--dir DIR] [--timeline FILE]</c>: starts a
/// loopback localnet (separate mesd processes), pre-signs transfers from fanned-out outputs, then (1) submits them
/// at a steady rate round-robin to every node over JSON-RPC batches and (2) floods a batch as fast as possible.
/// Reports committed tx/s (transactions in final blocks per second of the phase), submit→final latency p50/p99
/// (final = seen in a final block by a 50 ms poller), block interval, and CPU and peak RSS per node.
/// </summary>
internal static class LocalnetLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        string mesd = Program.ValueOf(args, "--mesd") ?? throw new ArgumentException("localnet needs --mesd PATH (the mesd binary or mesd.dll)");
        int witnesses = Program.ArgOf(args, "--witnesses", 4);
        int rate = Program.ArgOf(args, "--rate", 10_000);
        int seconds = Program.ArgOf(args, "--seconds", 60);
        int flood = Program.ArgOf(args, "--flood", 200_000);
        int basePort = Program.ArgOf(args, "--base-port", 21_000);
        int blockInterval = Program.ArgOf(args, "--block-interval", 500);
        string? timelinePath = Program.ValueOf(args, "--timeline");
        string dir = Program.ValueOf(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "mesfast-localnet-perf-" + Environment.ProcessId);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);

        Run(mesd, ["localnet", "--witnesses", witnesses.ToString(CultureInfo.InvariantCulture), "--data", dir, "--detach", "--base-port", basePort.ToString(CultureInfo.InvariantCulture),
            "--block-interval", blockInterval.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            var rpcs = new Uri[witnesses];
            for (int i = 0; i < witnesses; i++) rpcs[i] = new Uri($"http://127.0.0.1:{basePort + (2 * i)}/rpc");
            int[] pids = ReadPids(dir, witnesses);
            using var client = new MesRpcClient(rpcs[0]);
            await WaitUntil(async () =>
            {
                try
                {
                    return await client.BlockNumberAsync() >= 2;
                }
                catch (HttpRequestException)
                {
                    return false; // still starting
                }
            });
            using var dev = new Signer(Convert.FromHexString(File.ReadAllText(Path.Combine(dir, "dev.key")).Trim()));
            int steadyCount = rate * seconds;
            Console.WriteLine($"{witnesses}-witness localnet up; fanning out {steadyCount + flood:N0} outputs …");
            var sw = Stopwatch.StartNew();
            var coins = await Flood.FanOutAsync(client, 1001, dev, "tmes", steadyCount + flood);
            ulong height = await client.BlockNumberAsync();
            var txs = new byte[coins.Count][];
            var ids = new Hash32[coins.Count];
            Parallel.For(0, coins.Count, i =>
            {
                var utxo = coins[i];
                var payload = new Transaction
                {
                    ChainId = 1001,
                    ValidUntil = height + 100_000,
                    Inputs = [new TxInput(utxo.TxId, utxo.Index)],
                    Outputs = [new TxOutput(Hash32.Zero, utxo.Amount - 1000, dev.Address)],
                };
                ids[i] = payload.ComputeTxId();
                txs[i] = payload.WithWitnesses([dev.Witness(ids[i])]).ToBytes();
            });
            Console.WriteLine($"prepared {txs.Length:N0} signed transfers in {sw.Elapsed.TotalSeconds:F0} s");

            var index = new Dictionary<Hash32, int>(ids.Length);
            for (int i = 0; i < ids.Length; i++) index[ids[i]] = i;
            var submitted = new long[ids.Length]; // Stopwatch ticks at submit
            var final = new long[ids.Length];
            var stages = new Stages(ids.Length);
            var clock = Stopwatch.StartNew();
            long wallAtStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var tracker = new FinalTracker(rpcs[0], index, final, stages, clock, wallAtStart);
            Task tracking = tracker.RunAsync(await client.BlockNumberAsync());
            using var timeline = new Timeline(rpcs, clock);
            Task sampling = timeline.RunAsync();

            // Phase 1: steady rate.
            var bodies = BuildBodies(txs, 0, steadyCount);
            var cpu0 = CpuTicks(pids);
            var gc0 = await NodeCounters.ReadAsync(rpcs);
            var generatorCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var rss = new long[witnesses];
            var generatorGc0 = GeneratorGc.Now();
            timeline.Begin("steady");
            long phaseStart = clock.ElapsedTicks;
            await SubmitAsync(rpcs, bodies, 0, steadyCount, submitted, final, stages, clock, rate, rss, pids);
            long submitEnd = clock.ElapsedTicks;
            await WaitUntil(() => Task.FromResult(AllFinal(final, 0, steadyCount)), TimeSpan.FromSeconds(60));
            long phaseEnd = Math.Max(submitEnd, MaxTicks(final, 0, steadyCount));
            var cpu1 = CpuTicks(pids);
            var gc1 = await NodeCounters.ReadAsync(rpcs);
            Report($"steady {rate:N0} tx/s for {seconds} s", final, submitted, stages, 0, steadyCount, phaseStart, phaseEnd, tracker, cpu0, cpu1, rss, clock,
                Process.GetCurrentProcess().TotalProcessorTime - generatorCpu0);
            Console.WriteLine($"  GC per node: {NodeCounters.DescribeGc(gc0, gc1, steadyCount)}; generator: {GeneratorGc.Now().Since(generatorGc0)}");
            Console.WriteLine($"  peak mempool per node: {timeline.PeakMempools()}; gossip per node: {NodeCounters.DescribeGossip(gc0, gc1)}");

            // Phase 2: flood.
            if (flood > 0)
            {
                Array.Clear(rss);
                bodies = BuildBodies(txs, steadyCount, flood);
                cpu0 = CpuTicks(pids);
                gc0 = await NodeCounters.ReadAsync(rpcs);
                generatorCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                generatorGc0 = GeneratorGc.Now();
                timeline.Begin("flood");
                phaseStart = clock.ElapsedTicks;
                tracker.ResetIntervals();
                await SubmitAsync(rpcs, bodies, steadyCount, flood, submitted, final, stages, clock, 0, rss, pids);
                await WaitUntil(() => Task.FromResult(AllFinal(final, steadyCount, flood)), TimeSpan.FromSeconds(120));
                phaseEnd = MaxTicks(final, steadyCount, flood);
                cpu1 = CpuTicks(pids);
                gc1 = await NodeCounters.ReadAsync(rpcs);
                Report($"flood of {flood:N0}", final, submitted, stages, steadyCount, flood, phaseStart, phaseEnd, tracker, cpu0, cpu1, rss, clock,
                    Process.GetCurrentProcess().TotalProcessorTime - generatorCpu0);
                Console.WriteLine($"  GC per node: {NodeCounters.DescribeGc(gc0, gc1, flood)}; generator: {GeneratorGc.Now().Since(generatorGc0)}");
                Console.WriteLine($"  peak mempool per node: {timeline.PeakMempools()}; gossip per node: {NodeCounters.DescribeGossip(gc0, gc1)}");
            }
            tracker.Stop();
            await tracking;
            timeline.Stop();
            await sampling;
            if (timelinePath is not null)
            {
                timeline.Write(timelinePath, tracker.AllBlocks());
                Console.WriteLine($"timeline: {timelinePath}");
            }
        }
        finally
        {
            Run(mesd, ["localnet", "stop", "--data", dir]);
        }
        return 0;
    }

    private static void Run(string mesd, string[] args)
    {
        var info = new ProcessStartInfo(mesd.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : mesd) { UseShellExecute = false };
        if (mesd.EndsWith(".dll", StringComparison.Ordinal)) info.ArgumentList.Add(mesd);
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mesd {string.Join(' ', args)} exited with {p.ExitCode}");
    }

    private static int[] ReadPids(string dir, int n)
    {
        var pids = new int[n];
        foreach (string line in File.ReadAllLines(Path.Combine(dir, "pids.txt")))
        {
            string[] parts = line.Split(' ');
            int node = int.Parse(parts[0], CultureInfo.InvariantCulture);
            if (node < n) pids[node] = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return pids;
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(120))) return;
            await Task.Delay(100);
        }
    }

    /// <summary>Marks a transaction the node refused at submission (it has no final time).</summary>
    private const long Refused = -1;

    private static bool AllFinal(long[] final, int start, int count)
    {
        for (int i = start; i < start + count; i++) if (Volatile.Read(ref final[i]) == 0) return false;
        return true;
    }

    private static long MaxTicks(long[] final, int start, int count)
    {
        long max = 0;
        for (int i = start; i < start + count; i++) max = Math.Max(max, final[i]);
        return max;
    }

    /// <summary>Transactions per JSON-RPC batch call.</summary>
    private const int Batch = 100;

    /// <summary>
    /// The UTF-8 request bodies of a phase, built before it starts: the generator shares the nodes' cores, and hex
    /// and JSON encoding during the phase took CPU the nodes then lacked.
    /// </summary>
    private static byte[][] BuildBodies(byte[][] txs, int start, int count)
    {
        var bodies = new byte[(count + Batch - 1) / Batch][];
        Parallel.For(0, bodies.Length, b =>
        {
            int from = start + b * Batch, to = Math.Min(start + count, from + Batch);
            var body = new StringBuilder("[");
            for (int i = from; i < to; i++)
                body.Append(i == from ? "" : ",").Append("{\"jsonrpc\":\"2.0\",\"id\":").Append(i).Append(",\"method\":\"mes_sendRawTransaction\",\"params\":[\"").Append(Convert.ToHexStringLower(txs[i])).Append("\"]}");
            body.Append(']');
            bodies[b] = Encoding.UTF8.GetBytes(body.ToString());
        });
        return bodies;
    }

    private static readonly byte[] ErrorMember = "\"error\""u8.ToArray();

    private static async Task SubmitAsync(Uri[] rpcs, byte[][] bodies, int start, int count, long[] submitted, long[] final, Stages stages, Stopwatch clock, int rate,
        long[] rss, int[] pids)
    {
        var roundTrips = new ConcurrentBag<double>();
        long began = clock.ElapsedTicks;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var inFlight = new SemaphoreSlim(64);
        var tasks = new List<Task>();
        var paced = Stopwatch.StartNew();
        int n = 0;
        for (int at = start; at < start + count; at += Batch, n++)
        {
            if (rate > 0)
            {
                double due = (double)(at - start) / rate;
                double wait = due - paced.Elapsed.TotalSeconds;
                if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait));
            }
            await inFlight.WaitAsync();
            int from = at, to = Math.Min(start + count, at + Batch);
            Uri rpc = rpcs[n % rpcs.Length];
            if (n % 50 == 0) SampleRss(pids, rss);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var content = new ByteArrayContent(bodies[(from - start) / Batch]);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    long t = clock.ElapsedTicks;
                    for (int i = from; i < to; i++) submitted[i] = t;
                    using var response = await http.PostAsync(rpc, content);
                    byte[] answer = await response.Content.ReadAsByteArrayAsync();
                    long answered = clock.ElapsedTicks;
                    for (int i = from; i < to; i++) stages.Answered[i] = answered;
                    roundTrips.Add((answered - t) * 1000.0 / Stopwatch.Frequency);
                    // A call refused (e.g. "busy": the admission queue is full) is never final: count it apart.
                    if (answer.AsSpan().IndexOf(ErrorMember) < 0) return;
                    using var replies = JsonDocument.Parse(answer);
                    foreach (JsonElement reply in replies.RootElement.EnumerateArray())
                        if (reply.TryGetProperty("error", out _) && reply.GetProperty("id").TryGetInt32(out int id) && id >= from && id < to)
                            Interlocked.CompareExchange(ref final[id], Refused, 0);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }
        await Task.WhenAll(tasks);
        // The generator keeps 64 batches in flight: when admission slows down, it offers less than the asked-for rate.
        double seconds = (clock.ElapsedTicks - began) / (double)Stopwatch.Frequency;
        var sorted = roundTrips.ToArray();
        Array.Sort(sorted);
        Console.WriteLine($"  submitted {count:N0} in {seconds:F1} s ({count / seconds:F0} tx/s offered); RPC batch round trip p50 {Percentile(sorted, 0.5):F0} ms, p99 {Percentile(sorted, 0.99):F0} ms");
    }

    private static void SampleRss(int[] pids, long[] rss)
    {
        for (int i = 0; i < pids.Length; i++)
        {
            try
            {
                foreach (string line in File.ReadLines($"/proc/{pids[i]}/status"))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        rss[i] = Math.Max(rss[i], long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
            }
            catch (IOException)
            {
            }
        }
    }

    private static long[] CpuTicks(int[] pids)
    {
        var ticks = new long[pids.Length];
        for (int i = 0; i < pids.Length; i++)
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pids[i]}/stat");
                string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[i] = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture); // utime + stime
            }
            catch (IOException)
            {
            }
        }
        return ticks;
    }

    private static void Report(string phase, long[] final, long[] submitted, Stages stages, int start, int count, long phaseStart, long phaseEnd,
        FinalTracker tracker, long[] cpu0, long[] cpu1, long[] rss, Stopwatch clock, TimeSpan generatorCpu)
    {
        double seconds = (phaseEnd - phaseStart) / (double)Stopwatch.Frequency;
        var latencies = new List<double>(count);
        int committed = 0, refused = 0;
        for (int i = start; i < start + count; i++)
        {
            if (final[i] == Refused) refused++;
            if (final[i] <= 0) continue;
            committed++;
            latencies.Add((final[i] - submitted[i]) * 1000.0 / Stopwatch.Frequency);
        }
        latencies.Sort();
        double P(double q) => Percentile(latencies, q);
        var cpu = new StringBuilder();
        for (int i = 0; i < cpu0.Length; i++)
            cpu.Append(i == 0 ? "" : " / ").Append(((cpu1[i] - cpu0[i]) / 100.0 / seconds * 100).ToString("F0", CultureInfo.InvariantCulture)).Append('%');
        var mem = new StringBuilder();
        for (int i = 0; i < rss.Length; i++) mem.Append(i == 0 ? "" : " / ").Append(rss[i] >> 20).Append(" MiB");
        Console.WriteLine($"{phase}: committed {committed:N0}/{count:N0} ({refused:N0} refused at submission) in {seconds:F1} s = {committed / seconds:F0} tx/s; "
            + $"submit→final p50 {P(0.5):F0} ms, p99 {P(0.99):F0} ms; block interval {tracker.MeanIntervalMs:F0} ms; "
            + $"CPU per node {cpu} (100% = one core), generator {generatorCpu.TotalSeconds / seconds * 100:F0}%; peak RSS {mem}");
        Console.WriteLine($"  slowest blocks: {tracker.SlowestBlocks(5)}");
        Console.WriteLine($"  stages: {stages.Describe(final, submitted, start, count)}");
        Console.WriteLine($"  by submit time: {Windows(final, submitted, start, count, phaseStart)}");
    }

    /// <summary>The q-quantile of ascending <paramref name="sorted"/> (NaN when empty).</summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    /// <summary>Latency per 10 s of submit time (p50 / p99 of the transactions submitted in it): start-up effects and stalls show apart.</summary>
    private static string Windows(long[] final, long[] submitted, int start, int count, long phaseStart)
    {
        long window = 10 * Stopwatch.Frequency;
        var slices = new SortedDictionary<long, List<double>>();
        for (int i = start; i < start + count; i++)
        {
            if (final[i] <= 0) continue;
            long slot = (submitted[i] - phaseStart) / window;
            if (!slices.TryGetValue(slot, out var list)) slices[slot] = list = [];
            list.Add((final[i] - submitted[i]) * 1000.0 / Stopwatch.Frequency);
        }
        var text = new StringBuilder();
        foreach (var (slot, list) in slices)
        {
            list.Sort();
            text.Append(text.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"{slot * 10}-{slot * 10 + 10} s {Percentile(list, 0.5):F0}/{Percentile(list, 0.99):F0} ms");
        }
        return text.ToString();
    }

    /// <summary>Polls node 0 for new final blocks and stamps each of our transactions with the time its block was seen.</summary>
    private sealed class FinalTracker(Uri rpc, Dictionary<Hash32, int> index, long[] final, Stages stages, Stopwatch clock, long wallAtStart) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<long> _blockTimes = [];
        private readonly List<(ulong Height, long Interval, int Txs, uint View)> _blocks = [];
        /// <summary>Index in <see cref="_blocks"/> of the current phase's first block.</summary>
        private int _phaseFirstBlock;
        private long _lastTime;

        /// <summary>The slowest block intervals of the phase (height, ms since the previous block, transactions).</summary>
        public string SlowestBlocks(int count)
        {
            lock (_blockTimes)
            {
                var sorted = _blocks.GetRange(_phaseFirstBlock, _blocks.Count - _phaseFirstBlock);
                sorted.Sort((a, b) => b.Interval.CompareTo(a.Interval));
                var text = new StringBuilder();
                for (int i = 0; i < Math.Min(count, sorted.Count); i++)
                    text.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"#{sorted[i].Height} {sorted[i].Interval} ms ({sorted[i].Txs} txs, view {sorted[i].View})");
                return text.ToString();
            }
        }

        /// <summary>Every final block seen since the tracker started, all phases.</summary>
        public List<(ulong Height, long Interval, int Txs, uint View)> AllBlocks()
        {
            lock (_blockTimes) return new(_blocks);
        }

        public double MeanIntervalMs
        {
            get
            {
                lock (_blockTimes)
                {
                    if (_blockTimes.Count < 2) return double.NaN;
                    return (_blockTimes[^1] - _blockTimes[0]) / (double)(_blockTimes.Count - 1);
                }
            }
        }

        public void ResetIntervals()
        {
            lock (_blockTimes)
            {
                _blockTimes.Clear();
                _phaseFirstBlock = _blocks.Count;
            }
        }

        public async Task RunAsync(ulong from)
        {
            using var client = new MesRpcClient(rpc);
            ulong next = from + 1;
            while (!_stop.IsCancellationRequested)
            {
                ulong tip;
                try
                {
                    tip = await client.BlockNumberAsync();
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                    continue;
                }
                for (; next <= tip; next++)
                {
                    string? json = await client.GetBlockByHeightAsync(next, full: false);
                    long seen = clock.ElapsedTicks;
                    if (json is null) break;
                    using var doc = JsonDocument.Parse(json);
                    long time = (long)doc.RootElement.GetProperty("timeMs").GetUInt64();
                    int txCount = doc.RootElement.TryGetProperty("txs", out JsonElement list) ? list.GetArrayLength() : 0;
                    lock (_blockTimes)
                    {
                        _blockTimes.Add(time);
                        if (_lastTime != 0) _blocks.Add((next, time - _lastTime, txCount, doc.RootElement.GetProperty("view").GetUInt32()));
                        _lastTime = time;
                    }
                    // The block's time is its proposer's clock at build; every node shares this host's clock.
                    long built = (time - wallAtStart) * Stopwatch.Frequency / 1000;
                    if (doc.RootElement.TryGetProperty("txs", out JsonElement txids))
                    {
                        foreach (JsonElement t in txids.EnumerateArray())
                        {
                            if (!index.TryGetValue(Hash32.Parse(t.GetString()!), out int i)) continue;
                            stages.Built[i] = built;
                            Volatile.Write(ref final[i], seen);
                        }
                    }
                }
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public void Stop() => _stop.Cancel();

        public void Dispose() => _stop.Dispose();
    }
}
