using System.Text.Json;

namespace MesFast.Crypto.Tests;

/// <summary>The generic bech32m codec against the BIP-350 vectors and the BIP-173 rules.</summary>
public sealed class Bech32mTests
{
    private static readonly Lazy<(string[] Valid, (string Text, string Reason)[] Invalid)> Vectors = new(Load);

    private static (string[], (string, string)[]) Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("bech32m_bip350.json")));
        var valid = doc.RootElement.GetProperty("valid").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var invalid = doc.RootElement.GetProperty("invalid").EnumerateArray()
            .Select(e => (e.GetProperty("string").GetString()!, e.GetProperty("reason").GetString()!)).ToArray();
        return (valid, invalid);
    }

    public static TheoryData<int> ValidIndexes() => new(Enumerable.Range(0, Vectors.Value.Valid.Length));

    public static TheoryData<int> InvalidIndexes() => new(Enumerable.Range(0, Vectors.Value.Invalid.Length));

    [Fact]
    public void Vector_file_has_the_BIP350_cases()
    {
        Assert.Equal(7, Vectors.Value.Valid.Length);
        Assert.Equal(14, Vectors.Value.Invalid.Length);
    }

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void Valid_vector_decodes_and_reencodes_in_lowercase(int index)
    {
        string text = Vectors.Value.Valid[index];
        Assert.True(Bech32m.TryDecode(text, out string hrp, out byte[] data5, out Bech32Error error), error.ToString());
        Assert.Equal(Bech32Error.None, error);
        Assert.Equal(text.ToLowerInvariant(), Bech32m.Encode(hrp, data5));
    }

    [Theory]
    [MemberData(nameof(InvalidIndexes))]
    public void Invalid_vector_is_rejected_for_its_stated_reason(int index)
    {
        (string text, string reason) = Vectors.Value.Invalid[index];
        Assert.False(Bech32m.TryDecode(text, out _, out _, out Bech32Error error, out int position));
        Bech32Error? expected = reason switch
        {
            "HRP character out of range" => Bech32Error.HrpCharacterOutOfRange,
            "overall max length exceeded" => Bech32Error.TooLong,
            "no separator character" => Bech32Error.MissingSeparator,
            "empty HRP" => Bech32Error.EmptyHrp,
            "invalid data character" => Bech32Error.InvalidDataCharacter,
            "too short checksum" => Bech32Error.ChecksumTooShort,
            "invalid character in checksum" => Bech32Error.InvalidChecksumCharacter,
            "checksum calculated with uppercase form of HRP" => Bech32Error.ChecksumMismatch,
            _ => null,
        };
        if (expected is { } e) Assert.Equal(e, error);
        Assert.NotEqual(Bech32Error.None, error);
        Assert.False(string.IsNullOrEmpty(Bech32m.Describe(error, text, position)));
    }

    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    public void Valid_bech32_BIP173_string_is_rejected_as_bech32m(string bip173Valid)
    {
        Assert.False(Bech32m.TryDecode(bip173Valid, out _, out _, out Bech32Error error));
        Assert.Equal(Bech32Error.Bech32ChecksumNotBech32m, error);
    }

    [Theory]
    [InlineData("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", "abcdef", "l7aum6echk45nj3s0wdvt2fg8x9yrzpq")]
    [InlineData("A1LQFN3A", "a", "")]
    public void Decoded_values_are_the_charset_indexes(string text, string expectedHrp, string dataChars)
    {
        (string hrp, byte[] data5) = Bech32m.Decode(text);
        Assert.Equal(expectedHrp, hrp);
        Assert.Equal(dataChars.Select(c => (byte)Bech32m.Charset.IndexOf(c, StringComparison.Ordinal)).ToArray(), data5);
    }

    [Theory]
    [InlineData("a1lqfn3A", Bech32Error.MixedCase, "mixed case (character 'A' at position 7)")]
    [InlineData("y1b0jsk6g", Bech32Error.InvalidDataCharacter, "invalid character 'b' at position 2")]
    [InlineData("mm1crxm3i", Bech32Error.InvalidChecksumCharacter, "invalid checksum character 'i' at position 8")]
    [InlineData("qyrz8wqd2c9m", Bech32Error.MissingSeparator, "missing separator '1'")]
    [InlineData("1qyrz8wqd2c9m", Bech32Error.EmptyHrp, "empty HRP")]
    [InlineData("in1muywd", Bech32Error.ChecksumTooShort, "checksum too short (5 characters after the separator, need at least 6)")]
    [InlineData("a1lqfn3q", Bech32Error.ChecksumMismatch, "checksum mismatch")]
    [InlineData(" 1xj0phk", Bech32Error.HrpCharacterOutOfRange, "HRP character U+0020 at position 0 out of range (US-ASCII 33-126)")]
    [InlineData("a1lqfn3é", Bech32Error.InvalidChecksumCharacter, "invalid checksum character U+00E9 at position 7")]
    public void Each_failure_has_its_error_and_message(string text, Bech32Error expected, string message)
    {
        Assert.False(Bech32m.TryDecode(text, out _, out _, out Bech32Error error, out int position));
        Assert.Equal(expected, error);
        Assert.Equal(message, Bech32m.Describe(error, text, position));
        FormatException ex = Assert.Throws<FormatException>(() => Bech32m.Decode(text));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Too_long_names_both_lengths()
    {
        string text = "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4";
        Assert.False(Bech32m.TryDecode(text, out _, out _, out Bech32Error error, out int position));
        Assert.Equal(Bech32Error.TooLong, error);
        Assert.Equal("string too long (91 > 90)", Bech32m.Describe(error, text, position));
    }

    [Fact]
    public void Null_is_rejected_without_throwing()
    {
        Assert.False(Bech32m.TryDecode(null, out string hrp, out byte[] data, out Bech32Error error));
        Assert.Equal(Bech32Error.MissingSeparator, error);
        Assert.Equal(string.Empty, hrp);
        Assert.Empty(data);
    }

    [Fact]
    public void Uppercase_string_decodes_to_the_lowercase_hrp()
    {
        string lower = Bech32m.Encode("mes", [1, 2, 3, 31]);
        Assert.True(Bech32m.TryDecode(lower.ToUpperInvariant(), out string hrp, out byte[] data, out _));
        Assert.Equal("mes", hrp);
        Assert.Equal(new byte[] { 1, 2, 3, 31 }, data);
    }

    [Fact]
    public void Encode_rejects_bad_arguments()
    {
        Assert.Throws<ArgumentException>(() => Bech32m.Encode("", [1]));
        Assert.Throws<ArgumentException>(() => Bech32m.Encode(new string('a', 84), []));
        Assert.Throws<ArgumentException>(() => Bech32m.Encode("a b", []));
        Assert.Throws<ArgumentException>(() => Bech32m.Encode("mEs", []));
        Assert.Throws<ArgumentException>(() => Bech32m.Encode("a", [32]));
        Assert.Throws<ArgumentException>(() => Bech32m.Encode("a", new byte[83]));
        Assert.Equal(90, Bech32m.Encode("a", new byte[82]).Length);
    }

    [Fact]
    public void Random_round_trips()
    {
        var rng = new Random(350);
        for (int n = 0; n < 2000; n++)
        {
            int hrpLength = rng.Next(1, 20);
            var hrpChars = new char[hrpLength];
            for (int i = 0; i < hrpLength; i++)
            {
                char c;
                do c = (char)rng.Next(33, 127); while (c is >= 'A' and <= 'Z');
                hrpChars[i] = c;
            }
            string hrp = new(hrpChars);
            var data = new byte[rng.Next(0, Bech32m.MaxLength - hrpLength - 1 - Bech32m.ChecksumLength + 1)];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)rng.Next(32);
            string text = Bech32m.Encode(hrp, data);
            Assert.True(Bech32m.TryDecode(text, out string hrp2, out byte[] data2, out Bech32Error error), $"{text}: {error}");
            Assert.Equal(hrp, hrp2);
            Assert.Equal(data, data2);
        }
    }

    [Fact]
    public void Random_single_character_substitutions_in_the_data_part_are_always_detected()
    {
        var rng = new Random(173);
        for (int n = 0; n < 5000; n++)
        {
            var data = new byte[rng.Next(0, 60)];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)rng.Next(32);
            string text = Bech32m.Encode("mes", data);
            int position = rng.Next(4, text.Length);
            char replacement;
            do replacement = Bech32m.Charset[rng.Next(32)]; while (replacement == text[position]);
            string corrupted = string.Concat(text.AsSpan(0, position), [replacement], text.AsSpan(position + 1));
            Assert.False(Bech32m.TryDecode(corrupted, out _, out _, out Bech32Error error), corrupted);
            Assert.Equal(Bech32Error.ChecksumMismatch, error);
        }
    }

    [Fact]
    public void ConvertBits_matches_BIP173_convertbits()
    {
        byte[] bytes = [0xff, 0x00, 0xa5];
        byte[] five = Bech32m.ConvertBits(bytes, 8, 5, pad: true);
        // 11111111 00000000 10100101 -> 11111 11100 00000 01010 0101(0)
        Assert.Equal(new byte[] { 31, 28, 0, 10, 10 }, five);
        Assert.Equal(bytes, Bech32m.ConvertBits(five, 5, 8, pad: false));
    }

    [Fact]
    public void ConvertBits_rejects_non_canonical_padding_and_out_of_range_values()
    {
        Assert.False(Bech32m.TryConvertBits([31, 28, 0, 10, 11], 5, 8, false, new byte[3], out _, out Bech32Error e1));
        Assert.Equal(Bech32Error.NonZeroPadding, e1);
        Assert.False(Bech32m.TryConvertBits([31, 28, 0, 10, 10, 0], 5, 8, false, new byte[3], out _, out Bech32Error e2));
        Assert.Equal(Bech32Error.ExcessPadding, e2);
        Assert.False(Bech32m.TryConvertBits([32], 5, 8, true, new byte[1], out _, out Bech32Error e3));
        Assert.Equal(Bech32Error.ValueOutOfRange, e3);
        Assert.Throws<FormatException>(() => Bech32m.ConvertBits([31, 28, 0, 10, 11], 5, 8, pad: false));
    }

    [Fact]
    public void Every_error_has_a_distinct_message()
    {
        var messages = Enum.GetValues<Bech32Error>().Select(e => Bech32m.Describe(e, "x1qqqqqqq", 2)).ToArray();
        Assert.Equal(messages.Length, messages.Distinct().Count());
    }
}
