using System.Text;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>
/// IssueAsset payload (PROTOCOL §7.3): <c>bytes name (1..64 UTF-8) ‖ bytes symbol (1..12 of A–Z 0–9) ‖
/// u8 decimals (≤ 18) ‖ u64 supply (&gt; 0) ‖ Hash32 metadataHash</c>.
/// </summary>
public sealed record IssueAssetPayload(string Name, string Symbol, byte Decimals, ulong Supply, Hash32 MetadataHash)
{
    public const int MaxNameBytes = 64, MaxSymbolLength = 12, MaxDecimals = 18;

    public byte[] Encode()
    {
        byte[] name = Encoding.UTF8.GetBytes(Name);
        byte[] symbol = Encoding.ASCII.GetBytes(Symbol);
        var buffer = new byte[Varint.SizeOf(name.Length) + name.Length + Varint.SizeOf(symbol.Length) + symbol.Length + 1 + 8 + 32];
        var writer = new CodecWriter(buffer);
        writer.WriteLengthPrefixed(name);
        writer.WriteLengthPrefixed(symbol);
        writer.WriteU8(Decimals);
        writer.WriteU64(Supply);
        writer.WriteHash32(MetadataHash);
        return buffer;
    }

    /// <summary>Parses and validates a payload; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out IssueAssetPayload? parsed, out string problem)
    {
        parsed = null;
        var reader = new CodecReader(payload);
        if (!reader.TryReadLength(MaxNameBytes, out int nameLength) || !reader.TryReadBytes(nameLength, out var nameBytes))
        {
            problem = $"name: expected 1 … {MaxNameBytes} bytes of UTF-8";
            return false;
        }
        if (!reader.TryReadLength(MaxSymbolLength, out int symbolLength) || !reader.TryReadBytes(symbolLength, out var symbolBytes))
        {
            problem = $"symbol: expected 1 … {MaxSymbolLength} characters";
            return false;
        }
        if (!reader.TryReadU8(out byte decimals) || !reader.TryReadU64(out ulong supply) || !reader.TryReadHash32(out var metadata))
        {
            problem = "truncated after the symbol (decimals u8, supply u64, metadataHash 32 bytes)";
            return false;
        }
        if (reader.Remaining != 0)
        {
            problem = $"{reader.Remaining} trailing bytes";
            return false;
        }
        if (nameLength == 0 || !IsValidUtf8(nameBytes))
        {
            problem = "name: must be 1 … 64 bytes of valid UTF-8";
            return false;
        }
        if (symbolLength == 0 || !IsValidSymbol(symbolBytes))
        {
            problem = "symbol: must be 1 … 12 characters of A–Z and 0–9";
            return false;
        }
        if (decimals > MaxDecimals)
        {
            problem = $"decimals: at most {MaxDecimals}, got {decimals}";
            return false;
        }
        if (supply == 0)
        {
            problem = "supply: must be above 0";
            return false;
        }
        parsed = new IssueAssetPayload(Encoding.UTF8.GetString(nameBytes), Encoding.ASCII.GetString(symbolBytes), decimals, supply, metadata);
        problem = "";
        return true;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static bool IsValidSymbol(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (!(b is >= (byte)'A' and <= (byte)'Z' || b is >= (byte)'0' and <= (byte)'9')) return false;
        return true;
    }
}
