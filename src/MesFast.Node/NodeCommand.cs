namespace MesFast.Node;

/// <summary>Entry point of <c>mesd</c>: parses the command line and dispatches (dev, init, run, --version).</summary>
internal static class NodeCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 1 && args[0] is "--version" or "-V")
        {
            Console.Out.WriteLine($"mesd {typeof(NodeCommand).Assembly.GetName().Version}");
            return 0;
        }
        Console.Error.WriteLine("usage: mesd dev|init|run|--version");
        return 2;
    }
}
