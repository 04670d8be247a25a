using System.Globalization;
using MesFast.Crypto;

namespace MesFast.Node.Config;

/// <summary>Parsers for config/genesis field values; each failure names the file and the field.</summary>
internal static class FieldParsers
{
    public static T Required<T>(T? value, string file, string field) where T : struct =>
        value ?? throw new ConfigException($"{file}: field '{field}' is missing");

    public static string Required(string? value, string file, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigException($"{file}: field '{field}' is missing or empty") : value;

    public static ulong Amount(string? value, string file, string field)
    {
        string text = Required(value, file, field);
        if (text.Length > 20 || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong amount))
            throw new ConfigException($"{file}: field '{field}' must be a decimal string of base units (0 … 18446744073709551615), got '{text}'");
        return amount;
    }

    public static Hash32 Hex32(string? value, string file, string field)
    {
        string text = Required(value, file, field);
        if (text.Length != 64 || !IsHex(text))
            throw new ConfigException($"{file}: field '{field}' must be 64 hex characters, got '{Shorten(text)}'");
        return new Hash32(Convert.FromHexString(text));
    }

    public static Address Address(string? value, string hrp, string file, string field)
    {
        string text = Required(value, file, field);
        if (!MesFast.Crypto.Address.TryParse(text, hrp, out var address, out var error))
            throw new ConfigException($"{file}: field '{field}' is not a valid '{hrp}' address ({error}): '{Shorten(text)}'");
        return address;
    }

    /// <summary>Parses <c>HOST:PORT</c> (IPv4, <c>localhost</c> or <c>[IPv6]</c>).</summary>
    public static (string Host, int Port) Endpoint(string? value, string file, string field)
    {
        string text = Required(value, file, field);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new ConfigException($"{file}: field '{field}' must be HOST:PORT, got '{Shorten(text)}'");
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new ConfigException($"{file}: field '{field}' has an invalid port '{text[(colon + 1)..]}' (0 … 65535)");
        if (host != "localhost" && !System.Net.IPAddress.TryParse(host, out _))
            throw new ConfigException($"{file}: field '{field}' has an invalid host '{host}' (an IP address or localhost)");
        return (host, port);
    }

    public static bool IsHex(string text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
