using System.Diagnostics.CodeAnalysis;

namespace MesFast.Core.Types;

/// <summary>A 32-byte Ed25519 public key as it appears in a witness (DESIGN §3), held inline and compared by value.</summary>
public readonly struct PublicKey32 : IEquatable<PublicKey32>
{
    public const int Size = 32;

    private readonly Bytes32Buffer _bytes;

    public PublicKey32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"a public key is {Size} bytes, got {bytes.Length}", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    [UnscopedRef]
    public ReadOnlySpan<byte> Span => _bytes;

    public bool Equals(PublicKey32 other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is PublicKey32 k && Equals(k);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public static bool operator ==(PublicKey32 left, PublicKey32 right) => left.Equals(right);

    public static bool operator !=(PublicKey32 left, PublicKey32 right) => !left.Equals(right);

    public override string ToString() => Convert.ToHexStringLower(Span);
}
