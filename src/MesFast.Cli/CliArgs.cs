namespace MesFast.Cli;

/// <summary>A wrong command line: printed with the usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Strict argument parsing: positional words plus known <c>--flag value</c> / <c>--switch</c> options.</summary>
internal sealed class CliArgs
{
    private static readonly string[] ValueFlags =
        ["--rpc", "--keystore", "--password-file", "--asset", "--fee-per-byte", "--seed-hex", "--seed-file", "--name", "--symbol",
         "--decimals", "--supply", "--metadata-hash", "--hrp", "--timeout"];

    private static readonly string[] SwitchFlags = ["--json", "--wait", "--help", "-h", "--version"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public List<string> Words { get; } = [];

    public static CliArgs Parse(string[] args)
    {
        var parsed = new CliArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith('-') || a == "-")
            {
                parsed.Words.Add(a);
                continue;
            }
            string flag = a, value = "";
            bool inline = false;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                flag = a[..eq];
                value = a[(eq + 1)..];
                inline = true;
            }
            if (Array.IndexOf(SwitchFlags, flag) >= 0 && !inline)
            {
                parsed._switches.Add(flag);
                continue;
            }
            if (Array.IndexOf(ValueFlags, flag) < 0) throw new UsageException($"unknown option '{flag}'");
            if (!inline)
            {
                if (i + 1 >= args.Length) throw new UsageException($"option '{flag}' needs a value");
                value = args[++i];
            }
            if (value.Length == 0) throw new UsageException($"option '{flag}' needs a non-empty value");
            if (!parsed._values.TryAdd(flag, value)) throw new UsageException($"option '{flag}' given twice");
        }
        return parsed;
    }

    public string? Value(string flag) => _values.GetValueOrDefault(flag);

    public bool Has(string flag) => _switches.Contains(flag);

    /// <summary>Fails when an option is present that the command does not take.</summary>
    public void Allow(string command, params string[] flags)
    {
        string[] global = ["--rpc", "--keystore", "--password-file", "--json", "--hrp"];
        foreach (string f in _values.Keys)
            if (Array.IndexOf(flags, f) < 0 && Array.IndexOf(global, f) < 0) throw new UsageException($"'{command}' does not take option '{f}'");
        foreach (string f in _switches)
            if (Array.IndexOf(flags, f) < 0 && Array.IndexOf(global, f) < 0) throw new UsageException($"'{command}' does not take option '{f}'");
    }

    public void ExpectWords(string command, int count, string shape)
    {
        if (Words.Count != count) throw new UsageException($"usage: mes {shape}");
        _ = command;
    }
}
