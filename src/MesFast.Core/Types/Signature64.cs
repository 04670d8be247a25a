using System.Diagnostics.CodeAnalysis;

namespace MesFast.Core.Types;

/// <summary>A 64-byte Ed25519 signature <c>R ‖ S</c> (DESIGN §2), held inline and compared by value.</summary>
public readonly struct Signature64 : IEquatable<Signature64>
{
    public const int Size = 64;

    private readonly Bytes64Buffer _bytes;

    public Signature64(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"a signature is {Size} bytes, got {bytes.Length}", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    [UnscopedRef]
    public ReadOnlySpan<byte> Span => _bytes;

    public bool Equals(Signature64 other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Signature64 s && Equals(s);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public static bool operator ==(Signature64 left, Signature64 right) => left.Equals(right);

    public static bool operator !=(Signature64 left, Signature64 right) => !left.Equals(right);

    public override string ToString() => Convert.ToHexStringLower(Span);
}
