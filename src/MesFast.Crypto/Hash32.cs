using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MesFast.Crypto;

/// <summary>A 32-byte hash value (BLAKE3-256 output, txid, Merkle node) held inline, compared by value.</summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public readonly struct Hash32 : IEquatable<Hash32>
{
    public const int Size = 32;

    private readonly ulong _a, _b, _c, _d;

    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"a Hash32 is {Size} bytes, got {bytes.Length}", nameof(bytes));
        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    public static Hash32 Zero => default;

    /// <summary>The 32 bytes as a read-only span over this value (valid while the value lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Span => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _a, 4));

    public void CopyTo(Span<byte> destination) => Span.CopyTo(destination);

    public byte[] ToArray() => Span.ToArray();

    public bool Equals(Hash32 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Hash32 h && Equals(h);

    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    public override string ToString() => Convert.ToHexStringLower(Span);

    public static Hash32 Parse(string hex) => new(Convert.FromHexString(hex));
}
