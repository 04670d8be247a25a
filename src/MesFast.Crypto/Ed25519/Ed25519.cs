using System.Buffers;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace MesFast.Crypto;

/// <summary>
/// Ed25519 (RFC 8032). Key generation and signing go through NSec (libsodium); verification is our own and
/// follows the ZIP-215 validity rules (MES Chain consensus): cofactored equation [8][S]B = [8]R + [8][k]A,
/// non-canonical A/R encodings accepted, small/mixed-order A/R accepted, S must be &lt; L.
/// </summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;
    public const int SeedSize = 32;

    /// <summary>Messages up to this length are hashed from a stack buffer; longer ones use a pooled array.</summary>
    private const int StackHashLimit = 1024;

    /// <summary>Fills <paramref name="seed"/> from the OS CSPRNG and writes the matching public key.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length (programmer error).</exception>
    public static void GenerateKey(Span<byte> seed, Span<byte> publicKey)
    {
        CheckLength(seed.Length, SeedSize, nameof(seed));
        CheckLength(publicKey.Length, PublicKeySize, nameof(publicKey));
        RandomNumberGenerator.Fill(seed);
        PublicKeyFromSeed(seed, publicKey);
    }

    /// <exception cref="ArgumentException">A span has the wrong length (programmer error).</exception>
    public static void PublicKeyFromSeed(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        CheckLength(seed.Length, SeedSize, nameof(seed));
        CheckLength(publicKey.Length, PublicKeySize, nameof(publicKey));
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        if (!key.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, publicKey, out int written) || written != PublicKeySize)
            throw new CryptographicException("public key export failed");
    }

    /// <summary>Deterministic RFC 8032 signature of <paramref name="message"/> with the key derived from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length (programmer error).</exception>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CheckLength(seed.Length, SeedSize, nameof(seed));
        CheckLength(signature.Length, SignatureSize, nameof(signature));
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        SignatureAlgorithm.Ed25519.Sign(key, message, signature);
    }

    /// <summary>
    /// ZIP-215 verification. Returns false for any invalid signature, including a public key or signature of
    /// the wrong length (untrusted input: never throws for it).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize) return false;
        if (!TryDecode(publicKey, signature, message, out EdwardsPoint a, out EdwardsPoint r, out Scalar k)) return false;
        return CheckCofactoredEquation(a, r, k, signature.Slice(32, 32));
    }

    /// <summary>
    /// Shared by single and batch verification: S canonical (S &lt; L), A and R decode under ZIP-215, and
    /// k = SHA-512(R ‖ A ‖ M) mod L (RFC 8032 §5.1.7; A and R hashed as received, not re-encoded).
    /// </summary>
    internal static bool TryDecode(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message,
        out EdwardsPoint a, out EdwardsPoint r, out Scalar k)
    {
        k = default;
        r = default;
        a = default;
        if (!Scalar.IsCanonical(signature.Slice(32, 32))) return false;
        if (!EdwardsPoint.TryDecompressZip215(publicKey, out a)) return false;
        if (!EdwardsPoint.TryDecompressZip215(signature.Slice(0, 32), out r)) return false;
        k = HashToScalar(signature.Slice(0, 32), publicKey, message);
        return true;
    }

    /// <summary>k = SHA-512(R ‖ A ‖ M) as a little-endian 512-bit integer, reduced mod L.</summary>
    internal static Scalar HashToScalar(ReadOnlySpan<byte> r, ReadOnlySpan<byte> a, ReadOnlySpan<byte> message)
    {
        Span<byte> digest = stackalloc byte[64];
        int total = 64 + message.Length;
        byte[]? rented = null;
        Span<byte> buffer = total <= StackHashLimit ? stackalloc byte[StackHashLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            r.CopyTo(buffer);
            a.CopyTo(buffer.Slice(32));
            message.CopyTo(buffer.Slice(64));
            SHA512.HashData(buffer.Slice(0, total), digest);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
        return Scalar.FromBytesWide(digest);
    }

    /// <summary>ZIP-215 cofactored check [8]([S]B - [k]A - R) = identity (equivalent to [8][S]B = [8]R + [8][k]A).</summary>
    internal static bool CheckCofactoredEquation(in EdwardsPoint a, in EdwardsPoint r, in Scalar k, ReadOnlySpan<byte> s)
    {
        Span<byte> kBytes = stackalloc byte[32];
        k.ToBytes(kBytes);
        EdwardsPoint sbMinusKa = MultiScalarMul.DoubleBase(kBytes, a.Negate(), s);
        EdwardsPoint diff = EdwardsPoint.Sub(sbMinusKa, r.ToProjectiveNiels()).ToExtended();
        return diff.MulByCofactor().IsIdentity();
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"expected {expected} bytes, got {actual}", name);
    }
}
