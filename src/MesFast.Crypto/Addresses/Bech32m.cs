using System.Globalization;

namespace MesFast.Crypto;

/// <summary>
/// Generic bech32m codec: the BIP-173 string format (human-readable part, separator '1', 5-bit data, 6-character
/// BCH checksum) with the BIP-350 checksum constant 0x2bc830a3. Strings with a BIP-173 (constant 1) checksum are
/// rejected with their own error, <see cref="Bech32Error.Bech32ChecksumNotBech32m"/>.
/// </summary>
public static class Bech32m
{
    /// <summary>BIP-173 overall length limit.</summary>
    public const int MaxLength = 90;

    /// <summary>BIP-173 human-readable-part length limit.</summary>
    public const int MaxHrpLength = 83;

    public const int ChecksumLength = 6;

    /// <summary>BIP-350: the checksum constant of bech32m.</summary>
    public const uint Bech32mConstant = 0x2bc830a3;

    /// <summary>BIP-173: the checksum constant of the original bech32.</summary>
    internal const uint Bech32Constant = 1;

    internal const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    private static readonly sbyte[] CharsetRev = BuildCharsetRev();

    /// <summary>Encodes <paramref name="hrp"/> (output in lowercase) and 5-bit values as a bech32m string.</summary>
    /// <exception cref="ArgumentException">the HRP breaks a BIP-173 rule, a value is ≥ 32, or the result would exceed 90 characters.</exception>
    public static string Encode(string hrp, ReadOnlySpan<byte> data5bit)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        Bech32Error hrpError = ValidateHrp(hrp, out int position);
        if (hrpError != Bech32Error.None)
            throw new ArgumentException(Describe(hrpError, hrp, position), nameof(hrp));
        int length = hrp.Length + 1 + data5bit.Length + ChecksumLength;
        if (length > MaxLength)
            throw new ArgumentException($"encoded string would be too long ({length} > {MaxLength})", nameof(data5bit));
        for (int i = 0; i < data5bit.Length; i++)
            if (data5bit[i] >= 32)
                throw new ArgumentException($"data value {data5bit[i]} at index {i} is not a 5-bit value", nameof(data5bit));

        string lowerHrp = hrp.ToLowerInvariant();
        uint checksum = Polymod(lowerHrp, data5bit, stackalloc byte[ChecksumLength]) ^ Bech32mConstant;
        Span<char> chars = length <= 128 ? stackalloc char[length] : new char[length];
        lowerHrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        Span<char> data = chars[(hrp.Length + 1)..];
        for (int i = 0; i < data5bit.Length; i++) data[i] = Charset[data5bit[i]];
        for (int i = 0; i < ChecksumLength; i++)
            data[data5bit.Length + i] = Charset[(int)((checksum >> (5 * (5 - i))) & 31)];
        return new string(chars);
    }

    /// <summary>Decodes a bech32m string: lowercase HRP and the 5-bit data values without the checksum.</summary>
    public static bool TryDecode(string? text, out string hrp, out byte[] data5, out Bech32Error error)
        => TryDecode(text, out hrp, out data5, out error, out _);

    /// <summary>As <see cref="TryDecode(string?, out string, out byte[], out Bech32Error)"/>, also giving the position of the offending character (or −1).</summary>
    public static bool TryDecode(string? text, out string hrp, out byte[] data5, out Bech32Error error, out int errorPosition)
    {
        error = Decode(text ?? string.Empty, out hrp, out data5, out errorPosition);
        return error == Bech32Error.None;
    }

    /// <summary>Decodes a bech32m string or throws <see cref="FormatException"/> naming the broken rule.</summary>
    public static (string Hrp, byte[] Data5) Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Bech32Error error = Decode(text, out string hrp, out byte[] data5, out int position);
        if (error != Bech32Error.None) throw new FormatException(Describe(error, text, position));
        return (hrp, data5);
    }

    /// <summary>
    /// A message for a decoding failure of <paramref name="text"/>, naming the character and position where there is
    /// one, e.g. "invalid character 'b' at position 5".
    /// </summary>
    public static string Describe(Bech32Error error, string text, int position)
    {
        ArgumentNullException.ThrowIfNull(text);
        string At() => position >= 0 && position < text.Length
            ? $"{Show(text[position])} at position {position.ToString(CultureInfo.InvariantCulture)}"
            : $"at position {position.ToString(CultureInfo.InvariantCulture)}";
        return error switch
        {
            Bech32Error.None => "no error",
            Bech32Error.TooLong => $"string too long ({text.Length.ToString(CultureInfo.InvariantCulture)} > {MaxLength.ToString(CultureInfo.InvariantCulture)})",
            Bech32Error.MissingSeparator => "missing separator '1'",
            Bech32Error.EmptyHrp => "empty HRP",
            Bech32Error.HrpTooLong => $"HRP too long ({text.Length.ToString(CultureInfo.InvariantCulture)} > {MaxHrpLength.ToString(CultureInfo.InvariantCulture)})",
            Bech32Error.HrpCharacterOutOfRange => $"HRP character {At()} out of range (US-ASCII 33-126)",
            Bech32Error.ChecksumTooShort => $"checksum too short ({(text.Length - 1 - text.LastIndexOf('1')).ToString(CultureInfo.InvariantCulture)} characters after the separator, need at least {ChecksumLength.ToString(CultureInfo.InvariantCulture)})",
            Bech32Error.MixedCase => $"mixed case (character {At()})",
            Bech32Error.InvalidDataCharacter => $"invalid character {At()}",
            Bech32Error.InvalidChecksumCharacter => $"invalid checksum character {At()}",
            Bech32Error.ChecksumMismatch => "checksum mismatch",
            Bech32Error.Bech32ChecksumNotBech32m => "checksum mismatch: the string has a bech32 (BIP-173) checksum, not bech32m (BIP-350)",
            Bech32Error.ValueOutOfRange => $"value out of range at index {position.ToString(CultureInfo.InvariantCulture)}",
            Bech32Error.ExcessPadding => "excess padding (a whole group of padding bits)",
            Bech32Error.NonZeroPadding => "non-zero padding bits",
            _ => error.ToString(),
        };
    }

    /// <summary>
    /// Regroups <paramref name="input"/> (values of <paramref name="fromBits"/> bits) into <paramref name="toBits"/>-bit
    /// values, big-endian bit order (BIP-173 <c>convertbits</c>). With <paramref name="pad"/> the last group is
    /// zero-padded; without it, leftover bits must be fewer than <paramref name="fromBits"/> and all zero.
    /// </summary>
    public static bool TryConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad, Span<byte> output,
        out int written, out Bech32Error error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromBits, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(toBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toBits, 8);
        written = 0;
        int needed = ConvertedLength(input.Length, fromBits, toBits, pad);
        if (output.Length < needed)
            throw new ArgumentException($"output needs {needed} bytes, has {output.Length}", nameof(output));
        uint acc = 0;
        int bits = 0;
        uint maxOut = (1u << toBits) - 1;
        for (int i = 0; i < input.Length; i++)
        {
            uint value = input[i];
            if (value >> fromBits != 0)
            {
                error = Bech32Error.ValueOutOfRange;
                return false;
            }
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                output[written++] = (byte)((acc >> bits) & maxOut);
            }
            acc &= (1u << bits) - 1; // keep only the bits not yet emitted, so acc never overflows
        }
        if (pad)
        {
            if (bits > 0) output[written++] = (byte)((acc << (toBits - bits)) & maxOut);
        }
        else if (bits >= fromBits)
        {
            error = Bech32Error.ExcessPadding;
            return false;
        }
        else if (acc != 0)
        {
            error = Bech32Error.NonZeroPadding;
            return false;
        }
        error = Bech32Error.None;
        return true;
    }

    /// <summary>As <see cref="TryConvertBits"/>, returning a new array; throws <see cref="FormatException"/> on invalid input.</summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad)
    {
        var output = new byte[ConvertedLength(input.Length, fromBits, toBits, pad)];
        if (!TryConvertBits(input, fromBits, toBits, pad, output, out int written, out Bech32Error error))
            throw new FormatException(Describe(error, string.Empty, -1));
        return written == output.Length ? output : output[..written];
    }

    /// <summary>Number of output groups <see cref="TryConvertBits"/> writes at most for an input of <paramref name="inputLength"/> values.</summary>
    public static int ConvertedLength(int inputLength, int fromBits, int toBits, bool pad)
    {
        long totalBits = (long)inputLength * fromBits;
        return (int)(pad ? (totalBits + toBits - 1) / toBits : totalBits / toBits);
    }

    // BIP-173 decoding rules, checked in this order so that each BIP-350 invalid vector gets its stated reason.
    private static Bech32Error Decode(string text, out string hrp, out byte[] data5, out int position)
    {
        hrp = string.Empty;
        data5 = [];
        position = -1;
        if (text.Length > MaxLength) return Bech32Error.TooLong;

        int separator = text.LastIndexOf('1');
        if (separator < 0) return Bech32Error.MissingSeparator;
        if (separator == 0)
        {
            position = 0;
            return Bech32Error.EmptyHrp;
        }
        for (int i = 0; i < separator; i++)
        {
            if (text[i] is < (char)33 or > (char)126)
            {
                position = i;
                return Bech32Error.HrpCharacterOutOfRange;
            }
        }
        int dataLength = text.Length - separator - 1;
        if (dataLength < ChecksumLength)
        {
            position = separator;
            return Bech32Error.ChecksumTooShort;
        }

        int mixed = FindMixedCase(text);
        if (mixed >= 0)
        {
            position = mixed;
            return Bech32Error.MixedCase;
        }

        Span<byte> values = stackalloc byte[dataLength];
        for (int i = 0; i < dataLength; i++)
        {
            int p = separator + 1 + i;
            char c = text[p];
            int v = c < 128 ? CharsetRev[c] : -1;
            if (v < 0)
            {
                position = p;
                return i >= dataLength - ChecksumLength ? Bech32Error.InvalidChecksumCharacter : Bech32Error.InvalidDataCharacter;
            }
            values[i] = (byte)v;
        }

        string lowerHrp = text[..separator].ToLowerInvariant();
        uint residue = Polymod(lowerHrp, values, []);
        if (residue != Bech32mConstant)
            return residue == Bech32Constant ? Bech32Error.Bech32ChecksumNotBech32m : Bech32Error.ChecksumMismatch;

        hrp = lowerHrp;
        data5 = values[..(dataLength - ChecksumLength)].ToArray();
        return Bech32Error.None;
    }

    /// <summary>Checks the BIP-173 HRP rules for encoding; <paramref name="position"/> is the offending character or −1.</summary>
    internal static Bech32Error ValidateHrp(string hrp, out int position)
    {
        position = -1;
        if (hrp.Length == 0) return Bech32Error.EmptyHrp;
        if (hrp.Length > MaxHrpLength) return Bech32Error.HrpTooLong;
        for (int i = 0; i < hrp.Length; i++)
        {
            if (hrp[i] is < (char)33 or > (char)126)
            {
                position = i;
                return Bech32Error.HrpCharacterOutOfRange;
            }
        }
        position = FindMixedCase(hrp);
        return position >= 0 ? Bech32Error.MixedCase : Bech32Error.None;
    }

    /// <summary>Position of the first letter whose case differs from the first letter's, or −1.</summary>
    private static int FindMixedCase(string text)
    {
        int firstCase = 0; // +1 lower, −1 upper
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int caseOf = c is >= 'a' and <= 'z' ? 1 : c is >= 'A' and <= 'Z' ? -1 : 0;
            if (caseOf == 0) continue;
            if (firstCase == 0) firstCase = caseOf;
            else if (caseOf != firstCase) return i;
        }
        return -1;
    }

    /// <summary>BIP-173 <c>bech32_polymod</c> over hrp-expand(hrp) ‖ data ‖ tail (tail: the 6 zero values when computing a checksum).</summary>
    private static uint Polymod(string lowerHrp, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tail)
    {
        uint chk = 1;
        foreach (char c in lowerHrp) chk = Step(chk, (uint)c >> 5);
        chk = Step(chk, 0);
        foreach (char c in lowerHrp) chk = Step(chk, (uint)c & 31);
        foreach (byte v in data) chk = Step(chk, v);
        foreach (byte v in tail) chk = Step(chk, v);
        return chk;
    }

    private static uint Step(uint chk, uint value)
    {
        uint top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        if ((top & 1) != 0) chk ^= 0x3b6a57b2;
        if ((top & 2) != 0) chk ^= 0x26508e6d;
        if ((top & 4) != 0) chk ^= 0x1ea119fa;
        if ((top & 8) != 0) chk ^= 0x3d4233dd;
        if ((top & 16) != 0) chk ^= 0x2a1462b3;
        return chk;
    }

    private static string Show(char c) => c is >= (char)33 and <= (char)126
        ? $"'{c}'"
        : $"U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";

    private static sbyte[] BuildCharsetRev()
    {
        var rev = new sbyte[128];
        Array.Fill(rev, (sbyte)-1);
        for (int i = 0; i < Charset.Length; i++)
        {
            rev[Charset[i]] = (sbyte)i;
            rev[char.ToUpperInvariant(Charset[i])] = (sbyte)i;
        }
        return rev;
    }
}
