using MesFast.Crypto;
using MesFast.Node.Commands;
using MesFast.Node.Config;

namespace MesFast.Node;

/// <summary>Entry point of <c>mesd</c>: parses the command line and dispatches (dev, init, run, --version).</summary>
internal static class NodeCommand
{
    public const string Usage = """
        usage:
          mesd dev [--data DIR] [--rpc HOST:PORT]     one-node dev chain (default data ~/.mesfast/dev, RPC 127.0.0.1:8645)
          mesd init --data DIR [--chain-id N] [--shards S] [--rpc HOST:PORT] [--fund ADDRESS=UNITS]
          mesd run --config FILE                      start a node from a config written by init
          mesd localnet [--witnesses 4] [--full-nodes 0] [--data DIR] [--base-port 19600] [--block-interval MS] [--shards S] [--detach]
                                                      a local network of node processes on 127.0.0.1 (default folder ./localnet)
          mesd localnet stop --data DIR               stop a detached local network
          mesd verify (--data DIR | --config FILE)    replay a stopped node's block log from genesis and check every state root
          mesd --version
        """;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        try
        {
            if (args.Length == 0) throw new UsageException("mesd: a command is required");
            var rest = args.AsSpan(1);
            switch (args[0])
            {
                case "--version" or "-V" or "version":
                    output.WriteLine($"mesd {Version}");
                    return 0;
                case "--help" or "-h" or "help":
                    output.WriteLine(Usage);
                    return 0;
                case "dev":
                    return Dev(rest, output);
                case "init":
                    return InitCommand.Run(rest, output);
                case "localnet":
                    return LocalnetCommand.Run(rest, output);
                case "verify":
                    return VerifyCommand.Run(rest, output);
                case "run":
                    var line = CommandLine.Parse(rest, "run", ["--config"], []);
                    string config = line.Value("--config") ?? throw new UsageException("mesd run: --config FILE is required");
                    return NodeHost.Run(NodeConfig.Load(Path.GetFullPath(config)), output);
                default:
                    throw new UsageException($"mesd: unknown command '{args[0]}'");
            }
        }
        catch (UsageException e)
        {
            errors.WriteLine(e.Message);
            errors.WriteLine(Usage);
            return 2;
        }
        catch (ConfigException e)
        {
            errors.WriteLine($"mesd: {e.Message}");
            return 1;
        }
        catch (InvalidDataException e)
        {
            errors.WriteLine($"mesd: the data folder cannot be used: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            errors.WriteLine($"mesd: {e.Message}");
            return 1;
        }
    }

    public static string Version => typeof(NodeCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static int Dev(ReadOnlySpan<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, "dev", ["--data", "--rpc"], []);
        string dataDir = Path.GetFullPath(line.Value("--data") ?? DevSetup.DefaultDataDir);
        var (host, port) = InitCommand.ParseEndpoint(line.Value("--rpc") ?? $"127.0.0.1:{NodeConfig.DefaultRpcPort}", "dev");
        string configPath = DevSetup.Prepare(dataDir, host, port, out bool created);
        var (seed, address) = DevSetup.ReadDevKey(dataDir);
        var genesis = GenesisLoader.Load(Path.Combine(dataDir, DevSetup.GenesisFileName));
        output.WriteLine(created ? $"mesd: new dev chain in {dataDir}" : $"mesd: dev chain in {dataDir}");
        output.WriteLine($"mesd: dev key (funded with {DevSetup.DevFunding / 100_000_000} MES in block 0) — for this dev chain only:");
        output.WriteLine($"mesd:   address {address.ToBech32(genesis.Hrp)}");
        output.WriteLine($"mesd:   seed    {Convert.ToHexStringLower(seed)}");
        output.WriteLine($"mesd:   import  mes keys import dev --seed-hex {Convert.ToHexStringLower(seed)}");
        return NodeHost.Run(NodeConfig.Load(configPath), output);
    }
}
