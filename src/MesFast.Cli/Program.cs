namespace MesFast.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: mes keys|balance|send|tx|asset");
        return args.Length == 0 ? 2 : 2;
    }
}
