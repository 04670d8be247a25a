namespace MesFast.Cli;

/// <summary>What the CLI reads from and writes to the outside world; tests pass their own.</summary>
internal sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> Variable,
    Func<string, string?> PromptPassword)
{
    public static CliEnvironment FromConsole() => new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, PromptFromConsole);

    /// <summary>Reads a password without echo when stdin is a terminal; null when it is not.</summary>
    private static string? PromptFromConsole(string prompt)
    {
        if (Console.IsInputRedirected) return null;
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
