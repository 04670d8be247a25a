namespace MesFast.Cli;

internal static class Program
{
    private static int Main(string[] args) => MesCli.RunAsync(args, CliEnvironment.FromConsole()).GetAwaiter().GetResult();
}
