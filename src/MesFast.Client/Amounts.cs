using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MesFast.Client;

/// <summary>Human amounts ↔ base units: "12.5" with 8 decimals = 1,250,000,000 units. Exact (no floating point).</summary>
public static class Amounts
{
    public const int MesDecimals = 8;

    /// <summary>Parses "12.5" or "12.5 MES" (the unit, if present, must be <paramref name="unit"/>).</summary>
    public static bool TryParse(string? text, int decimals, string unit, out ulong units, [NotNullWhen(false)] out string? error)
    {
        units = 0;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the amount is empty";
            return false;
        }
        string s = text.Trim();
        int space = s.IndexOf(' ', StringComparison.Ordinal);
        if (space >= 0)
        {
            string given = s[(space + 1)..].Trim();
            s = s[..space];
            if (!string.Equals(given, unit, StringComparison.OrdinalIgnoreCase))
            {
                error = $"the amount is in {unit}, not '{given}'";
                return false;
            }
        }
        if (s.StartsWith('-'))
        {
            error = "the amount cannot be negative";
            return false;
        }
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? s : s[..dot];
        string fraction = dot < 0 ? "" : s[(dot + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !AllDigits(whole) || !AllDigits(fraction) || (dot >= 0 && fraction.Length == 0))
        {
            error = $"'{text}' is not an amount (digits with at most one '.')";
            return false;
        }
        if (fraction.Length > decimals)
        {
            error = $"'{text}' has {fraction.Length} decimals; {unit} has {decimals}";
            return false;
        }
        UInt128 value = 0;
        foreach (char c in whole + fraction.PadRight(decimals, '0'))
        {
            value = value * 10 + (uint)(c - '0');
            if (value > ulong.MaxValue)
            {
                error = $"'{text}' is too large";
                return false;
            }
        }
        units = (ulong)value;
        return true;
    }

    public static ulong Parse(string text, int decimals = MesDecimals, string unit = "MES") =>
        TryParse(text, decimals, unit, out ulong units, out string? error) ? units : throw new FormatException(error);

    /// <summary>"12.5" for 1,250,000,000 units with 8 decimals; trailing zeros trimmed.</summary>
    public static string Format(ulong units, int decimals = MesDecimals)
    {
        if (decimals == 0) return units.ToString(CultureInfo.InvariantCulture);
        ulong scale = 1;
        for (int i = 0; i < decimals; i++) scale *= 10;
        ulong whole = units / scale, fraction = units % scale;
        if (fraction == 0) return whole.ToString(CultureInfo.InvariantCulture);
        string digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{digits}";
    }

    private static bool AllDigits(string s)
    {
        foreach (char c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
