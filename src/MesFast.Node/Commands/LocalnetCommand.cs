using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MesFast.Node.Config;

namespace MesFast.Node.Commands;

/// <summary>
/// <c>mesd localnet</c>: creates a local network (genesis, keys, configs) and runs its nodes as processes on
/// 127.0.0.1 with a live status line until Ctrl-C, or detached for scripts; <c>mesd localnet stop</c> stops them.
/// An existing folder is reused: the same chain restarts and only nodes that are not running are started.
/// </summary>
internal static class LocalnetCommand
{
    public const int DefaultBasePort = 19600;

    public static int Run(ReadOnlySpan<string> args, TextWriter output)
    {
        if (args.Length > 0 && args[0] == "stop")
        {
            var stopLine = CommandLine.Parse(args[1..], "localnet stop", ["--data"], []);
            return Stop(new LocalnetLayout(Path.GetFullPath(stopLine.Value("--data") ?? throw new UsageException("mesd localnet stop: --data DIR is required"))), output);
        }
        var line = CommandLine.Parse(args, "localnet", ["--witnesses", "--full-nodes", "--data", "--base-port", "--block-interval", "--shards"], ["--detach"]);
        int witnesses = line.Int("--witnesses", 4, 1, 64, "localnet");
        int fullNodes = line.Int("--full-nodes", 0, 0, 16, "localnet");
        int basePort = line.Int("--base-port", DefaultBasePort, 1024, 65000, "localnet");
        int interval = line.Int("--block-interval", 500, 50, 60_000, "localnet");
        int shards = line.Int("--shards", 4, 1, GenesisLoader.MaxShardCount, "localnet");
        if ((shards & (shards - 1)) != 0) throw new UsageException("mesd localnet: --shards must be a power of two");
        var layout = new LocalnetLayout(Path.GetFullPath(line.Value("--data") ?? Path.Combine(Environment.CurrentDirectory, "localnet")));
        if (!layout.Exists)
        {
            layout.Create(witnesses, fullNodes, basePort, interval, shards);
            output.WriteLine($"mesd localnet: new network in {layout.Root}: {witnesses} witnesses, {fullNodes} full nodes");
        }
        else
        {
            output.WriteLine($"mesd localnet: reusing the network in {layout.Root} ({layout.NodeCount} nodes; --witnesses/--full-nodes apply to new folders only)");
        }
        int nodes = layout.NodeCount;
        var configs = new NodeConfig[nodes];
        for (int i = 0; i < nodes; i++) configs[i] = NodeConfig.Load(layout.ConfigPath(i));

        int[] pids = layout.ReadPids(nodes);
        for (int i = 0; i < nodes; i++)
        {
            if (ProcessSignals.IsAliveMesd(pids[i])) continue;
            pids[i] = StartNode(layout, i);
        }
        layout.WritePids(pids);
        var (devSeed, devAddress) = ReadDevKey(layout);
        for (int i = 0; i < nodes; i++)
        {
            output.WriteLine($"  node{i} {(configs[i].WitnessKeyPath is null ? "full   " : "witness")} pid {pids[i],-7} rpc http://127.0.0.1:{configs[i].RpcPort}/rpc  p2p 127.0.0.1:{configs[i].P2pPort}  log {layout.LogPath(i)}");
        }
        output.WriteLine($"mesd localnet: funded dev key: address {devAddress}, import with: mes keys import dev --seed-hex {devSeed}");
        if (line.Has("--detach"))
        {
            output.WriteLine($"mesd localnet: detached; stop with: mesd localnet stop --data {layout.Root}");
            return 0;
        }
        return Watch(layout, configs, pids, output);
    }

    private static (string Seed, string Address) ReadDevKey(LocalnetLayout layout)
    {
        byte[] seed = KeyFile.ReadSeed(layout.DevKeyPath);
        Span<byte> publicKey = stackalloc byte[32];
        Crypto.Ed25519.PublicKeyFromSeed(seed, publicKey);
        var genesis = GenesisLoader.Load(layout.GenesisPath);
        return (Convert.ToHexStringLower(seed), Crypto.Address.FromPublicKey(publicKey).ToBech32(genesis.Hrp));
    }

    /// <summary>Starts node <paramref name="i"/> as its own process (same mesd), output appended to its log.</summary>
    private static int StartNode(LocalnetLayout layout, int i)
    {
        var (program, prefix) = SelfCommand();
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec keeps the pid the node's own; the shell only sets up the redirection (the log outlives this process).
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("mesd");
        start.ArgumentList.Add(program);
        foreach (string p in prefix) start.ArgumentList.Add(p);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(layout.ConfigPath(i));
        start.Environment["LOG"] = layout.LogPath(i);
        using var process = Process.Start(start) ?? throw new IOException($"cannot start node{i}");
        return process.Id;
    }

    /// <summary>How to run this same mesd again: the AOT binary itself, or the dotnet host with our assembly.</summary>
    internal static (string Program, string[] Prefix) SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new IOException("cannot find the mesd executable");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            return (process, [Path.Combine(AppContext.BaseDirectory, "mesd.dll")]);
        return (process, []);
    }

    private static int Watch(LocalnetLayout layout, NodeConfig[] configs, int[] pids, TextWriter output)
    {
        using var stop = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(800) };
        bool terminal = !Console.IsOutputRedirected;
        output.WriteLine("mesd localnet: running; Ctrl-C stops every node");
        int tick = 0;
        while (!stop.Wait(1000))
        {
            string status = StatusLine(http, configs, pids);
            if (terminal) output.Write($"\r{status}\u001b[K");
            else if (tick % 10 == 0) output.WriteLine(status);
            output.Flush();
            tick++;
        }
        if (terminal) output.WriteLine();
        return Stop(layout, output);
    }

    private static string StatusLine(HttpClient http, NodeConfig[] configs, int[] pids)
    {
        var heights = new StringBuilder();
        var peers = new StringBuilder();
        ulong top = 0;
        double txs = 0;
        for (int i = 0; i < configs.Length; i++)
        {
            string h = "-", p = "-";
            if (ProcessSignals.IsAliveMesd(pids[i]) && TryNodeInfo(http, configs[i].RpcPort, out ulong height, out int peerCount, out double rate))
            {
                h = height.ToString(CultureInfo.InvariantCulture);
                p = peerCount.ToString(CultureInfo.InvariantCulture);
                top = Math.Max(top, height);
                txs = Math.Max(txs, rate);
            }
            else if (!ProcessSignals.IsAliveMesd(pids[i]))
            {
                h = "down";
            }
            heights.Append(i == 0 ? "" : "/").Append(h);
            peers.Append(i == 0 ? "" : "/").Append(p);
        }
        return $"final height {top} (nodes {heights}) | peers {peers} | {txs:F0} tx/s";
    }

    private static bool TryNodeInfo(HttpClient http, int port, out ulong height, out int peers, out double txPerSecond)
    {
        height = 0;
        peers = 0;
        txPerSecond = 0;
        try
        {
            using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"mes_nodeInfo","params":[]}""", Encoding.UTF8, "application/json");
            using var response = http.PostAsync(new Uri($"http://127.0.0.1:{port}/rpc"), content).GetAwaiter().GetResult();
            using var doc = JsonDocument.Parse(response.Content.ReadAsStream());
            if (!doc.RootElement.TryGetProperty("result", out JsonElement result)) return false;
            height = result.GetProperty("height").GetUInt64();
            peers = result.GetProperty("peers").GetInt32();
            txPerSecond = result.GetProperty("txPerSecond").GetDouble();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM to every recorded node, then waits (each checkpoints and exits); SIGKILL after 30 s.</summary>
    private static int Stop(LocalnetLayout layout, TextWriter output)
    {
        if (!layout.Exists) throw new ConfigException($"{layout.Root} is not a localnet folder (no genesis.json)");
        int nodes = layout.NodeCount;
        int[] pids = layout.ReadPids(nodes);
        int signalled = 0;
        foreach (int pid in pids)
            if (ProcessSignals.IsAliveMesd(pid) && ProcessSignals.Terminate(pid)) signalled++;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && Array.Exists(pids, ProcessSignals.IsAliveMesd)) Thread.Sleep(100);
        int killed = 0;
        foreach (int pid in pids)
            if (ProcessSignals.IsAliveMesd(pid) && ProcessSignals.ForceKill(pid)) killed++;
        layout.WritePids(new int[nodes]);
        output.WriteLine(killed == 0
            ? $"mesd localnet: stopped {signalled} nodes"
            : $"mesd localnet: stopped {signalled - killed} nodes cleanly, killed {killed} that did not stop within 30 s");
        return 0;
    }
}
