namespace MesFast.Node.Commands;

/// <summary>
/// Strict parser for <c>--flag value</c> options: every flag must be known, every value present, no positional
/// leftovers. Errors are <see cref="UsageException"/> with a message for the user (exit code 2).
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public static CommandLine Parse(ReadOnlySpan<string> args, string command, ReadOnlySpan<string> valueFlags, ReadOnlySpan<string> switchFlags)
    {
        var line = new CommandLine();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string flag = arg;
            string? inline = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                flag = arg[..eq];
                inline = arg[(eq + 1)..];
            }
            if (Contains(switchFlags, flag) && inline is null)
            {
                line._switches.Add(flag);
                continue;
            }
            if (!Contains(valueFlags, flag))
                throw new UsageException(arg.StartsWith('-')
                    ? $"mesd {command}: unknown option '{flag}'"
                    : $"mesd {command}: unexpected argument '{arg}'");
            string? value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"mesd {command}: option '{flag}' needs a value");
                value = args[++i];
            }
            if (value.Length == 0) throw new UsageException($"mesd {command}: option '{flag}' needs a non-empty value");
            if (!line._values.TryAdd(flag, value)) throw new UsageException($"mesd {command}: option '{flag}' given twice");
        }
        return line;
    }

    public string? Value(string flag) => _values.GetValueOrDefault(flag);

    public bool Has(string flag) => _switches.Contains(flag);

    public int Int(string flag, int fallback, int min, int max, string command)
    {
        string? text = Value(flag);
        if (text is null) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value)
            || value < min || value > max)
            throw new UsageException($"mesd {command}: option '{flag}' must be a whole number from {min} to {max}, got '{text}'");
        return value;
    }

    private static bool Contains(ReadOnlySpan<string> set, string flag)
    {
        foreach (string s in set)
            if (s == flag) return true;
        return false;
    }
}

/// <summary>A wrong command line; the message is printed with the usage and the process exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
