using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MesFast.Crypto;

/// <summary>
/// An account address (DESIGN §2): the first 20 bytes of <c>H(addr, preimage)</c>, where the preimage is a
/// 32-byte Ed25519 public key or, for a module escrow account, <c>UTF-8(module) ‖ 0x00 ‖ id</c>. Its text form is
/// bech32m (BIP-350) with HRP <see cref="MainnetHrp"/> or <see cref="TestnetHrp"/> and the 20 bytes regrouped
/// 8→5 bits with zero padding as the data part (no witness-version value).
/// </summary>
public readonly struct Address : IEquatable<Address>
{
    public const int Size = 20;

    /// <summary>Human-readable part of mainnet addresses.</summary>
    public const string MainnetHrp = "mes";

    /// <summary>Human-readable part of testnet addresses.</summary>
    public const string TestnetHrp = "tmes";

    /// <summary>Public keys are Ed25519 keys of exactly this size (DESIGN §2).</summary>
    public const int PublicKeySize = 32;

    /// <summary>Number of 5-bit groups encoding 20 bytes: ⌈160 / 5⌉ = 32 (no padding bits, since 160 = 32 · 5).</summary>
    internal const int Data5Length = (Size * 8 + 4) / 5;

    private readonly AddressBytes _bytes;

    /// <summary>An address from its 20 raw bytes.</summary>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"an address is {Size} bytes, got {bytes.Length}", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    /// <summary>The 20 bytes as a read-only span over this value (valid while the value lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Span => _bytes;

    public void CopyTo(Span<byte> destination) => Span.CopyTo(destination);

    public byte[] ToArray() => Span.ToArray();

    /// <summary>The address of an Ed25519 public key: first 20 bytes of <c>H(addr, pubkey)</c>.</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
            throw new ArgumentException($"a public key is {PublicKeySize} bytes, got {publicKey.Length}", nameof(publicKey));
        return FromPreimage(publicKey);
    }

    /// <summary>
    /// The escrow address of a module account: first 20 bytes of <c>H(addr, UTF-8(module) ‖ 0x00 ‖ id)</c>.
    /// No key can sign for it: the preimage is never 32 bytes long (rejected below), so it differs from every
    /// public-key preimage, and a key address equal to it would be a BLAKE3 collision. The module name must be
    /// non-empty and free of NUL, so the first 0x00 delimits it and distinct (module, id) pairs give distinct preimages.
    /// </summary>
    /// <exception cref="ArgumentException">empty name, a NUL in the name, or a 32-byte preimage.</exception>
    public static Address ForModule(string module, ReadOnlySpan<byte> id)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        if (module.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("a module name must not contain NUL", nameof(module));
        int nameLength = Encoding.UTF8.GetByteCount(module);
        int length = nameLength + 1 + id.Length;
        if (length == PublicKeySize)
            throw new ArgumentException(
                $"module preimage would be {PublicKeySize} bytes, the size of a public key; use another id length", nameof(id));
        Span<byte> preimage = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(module, preimage);
        preimage[nameLength] = 0;
        id.CopyTo(preimage[(nameLength + 1)..]);
        return FromPreimage(preimage);
    }

    private static Address FromPreimage(ReadOnlySpan<byte> preimage)
    {
        Hash32 h = DomainHash.Compute(DomainHash.Addr, preimage);
        return new Address(h.Span[..Size]);
    }

    /// <summary>The bech32m text form under <paramref name="hrp"/> (e.g. <see cref="MainnetHrp"/>), lowercase.</summary>
    public string ToBech32(string hrp)
    {
        Span<byte> data5 = stackalloc byte[Data5Length];
        Bech32m.TryConvertBits(Span, 8, 5, pad: true, data5, out _, out _);
        return Bech32m.Encode(hrp, data5);
    }

    /// <summary>Same as <see cref="ToBech32"/>.</summary>
    public string ToString(string hrp) => ToBech32(hrp);

    /// <summary>Lowercase hex of the 20 bytes (network-neutral; use <see cref="ToBech32"/> for the user-facing form).</summary>
    public override string ToString() => Convert.ToHexStringLower(Span);

    /// <summary>Parses a bech32m address for the network whose HRP is <paramref name="expectedHrp"/>.</summary>
    public static bool TryParse(string? text, string expectedHrp, out Address address, out AddressError error)
    {
        error = Parse(text ?? string.Empty, expectedHrp, out address, out _);
        return error == AddressError.None;
    }

    /// <summary>Parses a bech32m address or throws <see cref="FormatException"/> naming the broken rule.</summary>
    public static Address Parse(string text, string expectedHrp)
    {
        ArgumentNullException.ThrowIfNull(text);
        AddressError error = Parse(text, expectedHrp, out Address address, out string? message);
        if (error != AddressError.None) throw new FormatException($"invalid address: {message}");
        return address;
    }

    private static AddressError Parse(string text, string expectedHrp, out Address address, out string? message)
    {
        ArgumentNullException.ThrowIfNull(expectedHrp);
        address = default;
        message = null;
        if (!Bech32m.TryDecode(text, out string hrp, out byte[] data5, out Bech32Error bech32Error, out int position))
        {
            message = Bech32m.Describe(bech32Error, text, position);
            return (AddressError)bech32Error;
        }
        if (!string.Equals(hrp, expectedHrp, StringComparison.OrdinalIgnoreCase))
        {
            message = $"wrong HRP: expected {expectedHrp}, got {hrp}";
            return AddressError.WrongHrp;
        }
        Span<byte> payload = stackalloc byte[Bech32m.ConvertedLength(data5.Length, 5, 8, pad: false)];
        if (!Bech32m.TryConvertBits(data5, 5, 8, pad: false, payload, out int written, out Bech32Error padError))
        {
            message = Bech32m.Describe(padError, text, -1);
            return (AddressError)padError;
        }
        if (written != Size)
        {
            message = $"wrong payload length: {written.ToString(CultureInfo.InvariantCulture)} bytes, expected {Size.ToString(CultureInfo.InvariantCulture)}";
            return AddressError.WrongPayloadLength;
        }
        address = new Address(payload[..Size]);
        return AddressError.None;
    }

    public bool Equals(Address other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Address a && Equals(a);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);
}
