namespace MesFast.Crypto.Tests;

/// <summary>Addresses (DESIGN §2): derivation, bech32m text form, and every parse failure.</summary>
public sealed class AddressTests
{
    private static readonly byte[] Key0To31 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    // Independent known answers: b3sum --derive-key "mes/addr/v1" and the BIP-350 reference encoder (Python).
    private const string Key0To31Hex = "c09ed57ab0a82931571fee9d7ccede7b3284c5d6";
    private const string Key0To31Mainnet = "mes1cz0d274s4q5nz4cla6whenk70vegf3wkgjlqd6";
    private const string Key0To31Testnet = "tmes1cz0d274s4q5nz4cla6whenk70vegf3wkx8kydt";

    [Fact]
    public void Key_address_is_the_first_20_bytes_of_the_addr_hash()
    {
        Address a = Address.FromPublicKey(Key0To31);
        Assert.Equal(DomainHash.Compute(DomainHash.Addr, Key0To31).Span[..20].ToArray(), a.ToArray());
        Assert.Equal(Key0To31Hex, a.ToString());
    }

    [Fact]
    public void Known_answer_text_forms()
    {
        Address a = Address.FromPublicKey(Key0To31);
        Assert.Equal(Key0To31Mainnet, a.ToBech32(Address.MainnetHrp));
        Assert.Equal(Key0To31Testnet, a.ToString(Address.TestnetHrp));
        Assert.Equal(a, Address.Parse(Key0To31Mainnet, Address.MainnetHrp));
        Assert.Equal(a, Address.Parse(Key0To31Testnet, "tmes"));
        Assert.Equal(a, Address.Parse(Key0To31Mainnet.ToUpperInvariant(), Address.MainnetHrp));
    }

    [Fact]
    public void Module_address_hashes_name_NUL_id()
    {
        // b3sum --derive-key "mes/addr/v1" over "staking" 00 01020304
        Address a = Address.ForModule("staking", [1, 2, 3, 4]);
        Assert.Equal("876aef1669f2ef86309bb0e079f59462bb0e5f96", a.ToString());
        Assert.Equal("mes1sa4w79nf7thcvvymkrs8nav5v2asuhukzk5fs9", a.ToBech32(Address.MainnetHrp));
        Assert.NotEqual(a, Address.ForModule("staking", [1, 2, 3, 5]));
        Assert.NotEqual(a, Address.ForModule("stakinf", [1, 2, 3, 4]));
    }

    [Fact]
    public void Module_preimage_rules_keep_it_disjoint_from_keys()
    {
        Assert.Throws<ArgumentException>(() => Address.ForModule("", [1]));
        Assert.Throws<ArgumentException>(() => Address.ForModule("a\0b", [1]));
        // "escrow" (6) + NUL (1) + 25-byte id = 32 bytes: the size of a public key, refused.
        Assert.Throws<ArgumentException>(() => Address.ForModule("escrow", new byte[25]));
        Address.ForModule("escrow", new byte[24]);
        Address.ForModule("escrow", new byte[26]);
    }

    [Fact]
    public void From_public_key_requires_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[31]));
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[33]));
    }

    [Fact]
    public void Random_addresses_round_trip_on_both_networks()
    {
        var rng = new Random(20);
        var bytes = new byte[20];
        for (int i = 0; i < 1000; i++)
        {
            rng.NextBytes(bytes);
            var a = new Address(bytes);
            foreach (string hrp in new[] { Address.MainnetHrp, Address.TestnetHrp })
            {
                string text = a.ToBech32(hrp);
                Assert.Equal(hrp.Length + 1 + 32 + 6, text.Length);
                Assert.True(Address.TryParse(text, hrp, out Address back, out AddressError error), error.ToString());
                Assert.Equal(a, back);
                Assert.True(a == back);
            }
        }
    }

    [Fact]
    public void Random_single_character_substitutions_are_always_rejected()
    {
        var rng = new Random(2);
        var bytes = new byte[20];
        const string alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7lQPZ1bio-";
        for (int n = 0; n < 5000; n++)
        {
            rng.NextBytes(bytes);
            string text = new Address(bytes).ToBech32(Address.MainnetHrp);
            int position = rng.Next(text.Length);
            char replacement;
            do replacement = alphabet[rng.Next(alphabet.Length)]; while (replacement == text[position]);
            string corrupted = string.Concat(text.AsSpan(0, position), [replacement], text.AsSpan(position + 1));
            Assert.False(Address.TryParse(corrupted, Address.MainnetHrp, out _, out AddressError error), corrupted);
            Assert.NotEqual(AddressError.None, error);
        }
    }

    [Fact]
    public void Wrong_network_is_reported_with_both_hrps()
    {
        Assert.False(Address.TryParse(Key0To31Testnet, Address.MainnetHrp, out _, out AddressError error));
        Assert.Equal(AddressError.WrongHrp, error);
        FormatException ex = Assert.Throws<FormatException>(() => Address.Parse(Key0To31Testnet, Address.MainnetHrp));
        Assert.Equal("invalid address: wrong HRP: expected mes, got tmes", ex.Message);
    }

    [Theory]
    [InlineData(19, 31, AddressError.WrongPayloadLength, "wrong payload length: 19 bytes, expected 20")]
    [InlineData(21, 34, AddressError.WrongPayloadLength, "wrong payload length: 21 bytes, expected 20")]
    public void Wrong_payload_length_is_reported(int byteCount, int groups, AddressError expected, string message)
    {
        byte[] data5 = Bech32m.ConvertBits(new byte[byteCount], 8, 5, pad: true);
        Assert.Equal(groups, data5.Length);
        string text = Bech32m.Encode("mes", data5);
        Assert.False(Address.TryParse(text, "mes", out _, out AddressError error));
        Assert.Equal(expected, error);
        Assert.Equal("invalid address: " + message, Assert.Throws<FormatException>(() => Address.Parse(text, "mes")).Message);
    }

    [Fact]
    public void Padding_must_be_canonical()
    {
        // 33 groups = 165 bits: 20 bytes plus a whole 5-bit group of padding.
        var data5 = new byte[33];
        Assert.False(Address.TryParse(Bech32m.Encode("mes", data5), "mes", out _, out AddressError e1));
        Assert.Equal(AddressError.ExcessPadding, e1);
        // 31 groups = 155 bits = 19 bytes + 3 padding bits; set one of them.
        var short5 = new byte[31];
        short5[30] = 1;
        Assert.False(Address.TryParse(Bech32m.Encode("mes", short5), "mes", out _, out AddressError e2));
        Assert.Equal(AddressError.NonZeroPadding, e2);
        Assert.Equal("invalid address: non-zero padding bits",
            Assert.Throws<FormatException>(() => Address.Parse(Bech32m.Encode("mes", short5), "mes")).Message);
    }

    [Theory]
    [InlineData("mes1cz0d274s4q5nz4cla6whenk70vegf3wkgjlqd7", AddressError.ChecksumMismatch, "checksum mismatch")]
    [InlineData("mes1cz0d274s4q5nz4cla6whenk70vegf3wkgjlqdb", AddressError.InvalidChecksumCharacter, "invalid checksum character 'b' at position 41")]
    [InlineData("mes1bz0d274s4q5nz4cla6whenk70vegf3wkgjlqd6", AddressError.InvalidDataCharacter, "invalid character 'b' at position 4")]
    [InlineData("mes1cz0d274s4q5nz4cla6whenk70vegf3wkgjlqD6", AddressError.MixedCase, "mixed case (character 'D' at position 40)")]
    [InlineData("mescz0d274s4q5nz4cla6whenk70vegf3wkgjlqd6", AddressError.MissingSeparator, "missing separator '1'")]
    [InlineData("1cz0d274s4q5nz4cla6whenk70vegf3wkgjlqd6", AddressError.EmptyHrp, "empty HRP")]
    [InlineData("", AddressError.MissingSeparator, "missing separator '1'")]
    public void Bech32m_failures_keep_their_reason(string text, AddressError expected, string message)
    {
        Assert.False(Address.TryParse(text, Address.MainnetHrp, out Address a, out AddressError error));
        Assert.Equal(expected, error);
        Assert.Equal(default, a);
        Assert.Equal("invalid address: " + message, Assert.Throws<FormatException>(() => Address.Parse(text, Address.MainnetHrp)).Message);
    }

    [Fact]
    public void Too_long_string_is_reported()
    {
        string text = "mes1" + new string('q', 87);
        Assert.False(Address.TryParse(text, Address.MainnetHrp, out _, out AddressError error));
        Assert.Equal(AddressError.TooLong, error);
        Assert.Equal("invalid address: string too long (91 > 90)", Assert.Throws<FormatException>(() => Address.Parse(text, "mes")).Message);
    }

    [Fact]
    public void Bech32_BIP173_checksum_is_rejected()
    {
        // The same data with the BIP-173 constant (1) instead of the bech32m one.
        string text = Bech32Reference.EncodeBip173("mes", Bech32m.ConvertBits(new byte[20], 8, 5, pad: true));
        Assert.False(Address.TryParse(text, "mes", out _, out AddressError error));
        Assert.Equal(AddressError.Bech32ChecksumNotBech32m, error);
    }

    [Fact]
    public void Address_error_values_mirror_bech32_errors()
    {
        foreach (Bech32Error e in Enum.GetValues<Bech32Error>())
            Assert.Equal(e.ToString(), ((AddressError)e).ToString());
    }

    [Fact]
    public void Null_text_is_a_failure_not_an_exception()
    {
        Assert.False(Address.TryParse(null, "mes", out _, out AddressError error));
        Assert.Equal(AddressError.MissingSeparator, error);
    }
}
