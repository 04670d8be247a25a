namespace MesFast.Node;

internal static class Program
{
    private static int Main(string[] args) => NodeCommand.Run(args);
}
