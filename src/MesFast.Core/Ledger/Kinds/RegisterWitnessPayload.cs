using System.Text;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>
/// RegisterWitness payload (PROTOCOL §11.2): <c>PubKey32 nodeKey ‖ u64 bond ‖ u16 voterShareBps ‖ bytes name
/// (1..64 UTF-8) ‖ bytes url (0..128 printable ASCII) ‖ bytes endpoint (host:port, 3..64 printable ASCII) ‖
/// bytes star (0..256)</c>. The node key is the Ed25519 key that signs consensus votes.
/// </summary>
public sealed record RegisterWitnessPayload(Hash32 NodeKey, ulong Bond, ushort VoterShareBps, string Name, string Url,
    string Endpoint, byte[] Star)
{
    public const int MaxNameBytes = 64, MaxUrlBytes = 128, MaxEndpointBytes = 64, MaxStarBytes = 256;

    public byte[] Encode()
    {
        byte[] name = Encoding.UTF8.GetBytes(Name), url = Encoding.ASCII.GetBytes(Url), endpoint = Encoding.ASCII.GetBytes(Endpoint);
        var buffer = new byte[32 + 8 + 2 + Prefixed(name.Length) + Prefixed(url.Length) + Prefixed(endpoint.Length) + Prefixed(Star.Length)];
        var writer = new CodecWriter(buffer);
        writer.WriteHash32(NodeKey);
        writer.WriteU64(Bond);
        writer.WriteU16(VoterShareBps);
        writer.WriteLengthPrefixed(name);
        writer.WriteLengthPrefixed(url);
        writer.WriteLengthPrefixed(endpoint);
        writer.WriteLengthPrefixed(Star);
        return buffer;
    }

    /// <summary>Parses and validates a payload; never throws. On failure <paramref name="problem"/> names the field.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out RegisterWitnessPayload? parsed, out string problem)
    {
        parsed = null;
        var reader = new CodecReader(payload);
        if (!reader.TryReadHash32(out var nodeKey) || !reader.TryReadU64(out ulong bond) || !reader.TryReadU16(out ushort share))
            return Fail("truncated: nodeKey (32 bytes), bond u64 and voterShareBps u16 come first", out problem);
        if (!reader.TryReadLength(MaxNameBytes, out int nameLength) || !reader.TryReadBytes(nameLength, out var name))
            return Fail($"name: expected 1 … {MaxNameBytes} bytes", out problem);
        if (!reader.TryReadLength(MaxUrlBytes, out int urlLength) || !reader.TryReadBytes(urlLength, out var url))
            return Fail($"url: expected 0 … {MaxUrlBytes} bytes", out problem);
        if (!reader.TryReadLength(MaxEndpointBytes, out int endpointLength) || !reader.TryReadBytes(endpointLength, out var endpoint))
            return Fail($"endpoint: expected 3 … {MaxEndpointBytes} bytes", out problem);
        if (!reader.TryReadLength(MaxStarBytes, out int starLength) || !reader.TryReadBytes(starLength, out var star))
            return Fail($"star: expected 0 … {MaxStarBytes} bytes", out problem);
        if (reader.Remaining != 0) return Fail($"{reader.Remaining} trailing bytes", out problem);
        if (share > Dpos.DposParams.BasisPoints) return Fail($"voterShareBps: at most 10000, got {share}", out problem);
        if (nameLength == 0 || !System.Text.Unicode.Utf8.IsValid(name)) return Fail("name: must be 1 … 64 bytes of valid UTF-8", out problem);
        if (!IsPrintableAscii(url)) return Fail("url: printable ASCII only (0x21 … 0x7e)", out problem);
        if (!IsEndpoint(endpoint)) return Fail("endpoint: must be host:port (printable ASCII, port 1 … 65535 without leading zeros)", out problem);
        parsed = new RegisterWitnessPayload(nodeKey, bond, share, Encoding.UTF8.GetString(name), Encoding.ASCII.GetString(url),
            Encoding.ASCII.GetString(endpoint), star.ToArray());
        problem = "";
        return true;
    }

    private static int Prefixed(int length) => Varint.SizeOf(length) + length;

    private static bool Fail(string message, out string problem)
    {
        problem = message;
        return false;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (b is < 0x21 or > 0x7e) return false;
        return true;
    }

    /// <summary><c>host:port</c>: a non-empty host, the last colon, then 1 … 65535 in canonical decimal.</summary>
    private static bool IsEndpoint(ReadOnlySpan<byte> bytes)
    {
        if (!IsPrintableAscii(bytes)) return false;
        int colon = bytes.LastIndexOf((byte)':');
        if (colon < 1) return false;
        var port = bytes[(colon + 1)..];
        if (port.Length is 0 or > 5 || port[0] == (byte)'0') return false;
        int value = 0;
        foreach (byte b in port)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return value <= 65_535;
    }
}
