using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MesFast.Crypto;

namespace MesFast.Node.Rpc;

/// <summary>Positional parameters of one call, with readers that name the parameter and the problem on error.</summary>
internal readonly struct RpcParams(JsonElement? array, string method)
{
    public int Count => array is { } a ? a.GetArrayLength() : 0;

    public void ExpectAtMost(int count)
    {
        if (Count > count) throw Invalid($"{method} takes at most {count} parameter{(count == 1 ? "" : "s")}, got {Count}");
    }

    private JsonElement? Get(int index) => array is { } a && index < a.GetArrayLength() ? a[index] : null;

    public ulong Height(int index, string name)
    {
        var e = Get(index) ?? throw Invalid($"params[{index}] ({name}): missing");
        if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong value)) return value;
        throw Invalid($"params[{index}] ({name}): expected a non-negative integer");
    }

    public bool Flag(int index, string name, bool fallback)
    {
        var e = Get(index);
        if (e is null || e.Value.ValueKind == JsonValueKind.Null) return fallback;
        return e.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"params[{index}] ({name}): expected true or false"),
        };
    }

    public string Text(int index, string name)
    {
        var e = Get(index) ?? throw Invalid($"params[{index}] ({name}): missing");
        if (e.ValueKind != JsonValueKind.String) throw Invalid($"params[{index}] ({name}): expected a string");
        return e.GetString()!;
    }

    public bool Has(int index) => Get(index) is { ValueKind: not JsonValueKind.Null };

    public Hash32 Hash(int index, string name)
    {
        string text = Text(index, name);
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        if (text.Length != 64 || !IsHex(text)) throw Invalid($"params[{index}] ({name}): expected 64 hex characters");
        return new Hash32(Convert.FromHexString(text));
    }

    public Address Address(int index, string name, string hrp)
    {
        string text = Text(index, name);
        if (!MesFast.Crypto.Address.TryParse(text, hrp, out var address, out var error))
            throw Invalid($"params[{index}] ({name}): not a valid '{hrp}' address ({error})");
        return address;
    }

    public byte[] Hex(int index, string name, int maxBytes)
    {
        var e = Get(index) ?? throw Invalid($"params[{index}] ({name}): missing");
        if (e.ValueKind != JsonValueKind.String) throw Invalid($"params[{index}] ({name}): expected a string");
        // Straight from the request's UTF-8 (transactions arrive here thousands a second: no string per call); only a
        // value written with JSON escapes is unescaped first.
        ReadOnlySpan<byte> hex = JsonMarshal.GetRawUtf8Value(e)[1..^1];
        if (hex.IndexOf((byte)'\\') >= 0) hex = Encoding.UTF8.GetBytes(e.GetString()!);
        if (hex.Length >= 2 && hex[0] == (byte)'0' && (hex[1] | 0x20) == (byte)'x') hex = hex[2..];
        if (hex.Length % 2 != 0 || hex.ContainsAnyExcept(HexDigits))
            throw Invalid($"params[{index}] ({name}): expected an even number of hex characters");
        if (hex.Length / 2 > maxBytes) throw Invalid($"params[{index}] ({name}): {hex.Length / 2} bytes, the limit is {maxBytes}");
        var bytes = new byte[hex.Length / 2];
        Convert.FromHexString(hex, bytes, out _, out _);
        return bytes;
    }

    public string SubscriptionId(int index) => Text(index, "subscription");

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    private static bool IsHex(string text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    private static RpcException Invalid(string message) => new(RpcException.InvalidParams, message);

    public static string Amount(ulong units) => units.ToString(CultureInfo.InvariantCulture);
}
