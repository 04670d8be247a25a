using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// Integer modulo the group order L = 2^252 + 27742317777372353535851937790883648493, in radix 2^52
/// (five limbs) with Montgomery multiplication (R = 2^260). Values held in this struct are always &lt; L
/// (canonical, plain representation; the Montgomery factor is removed inside <see cref="Mul"/>).
/// </summary>
internal struct Scalar
{
    public ulong L0, L1, L2, L3, L4;

    private const ulong Mask52 = (1UL << 52) - 1;

    public static readonly BigInteger Order = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    // Constants derived once from the definition of L (not typed in, so they cannot be mistyped).
    private static readonly Scalar OrderLimbs = FromBigIntegerUnchecked(Order);
    /// <summary>R mod L with R = 2^260.</summary>
    private static readonly Scalar MontR = FromBigIntegerUnchecked(BigInteger.Remainder(BigInteger.One << 260, Order));
    /// <summary>R^2 mod L.</summary>
    private static readonly Scalar MontRR = FromBigIntegerUnchecked(BigInteger.Remainder(BigInteger.One << 520, Order));
    /// <summary>-1/L mod 2^52.</summary>
    private static readonly ulong LFactor = ComputeLFactor();

    private static readonly byte[] OrderBytes = ToBytesOf(Order);

    public Scalar(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4;
    }

    private static ulong ComputeLFactor()
    {
        BigInteger m = BigInteger.One << 52;
        BigInteger inv = BigInteger.ModPow(BigInteger.Remainder(Order, m), (BigInteger.One << 51) - 1, m); // φ(2^52) = 2^51
        return (ulong)BigInteger.Remainder(m - inv, m);
    }

    private static byte[] ToBytesOf(BigInteger v)
    {
        byte[] b = new byte[32];
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return b;
    }

    /// <summary>True iff the 32 bytes, read as a little-endian 256-bit integer, are &lt; L (ZIP-215 / RFC 8032 §5.1.7: S must be canonical).</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> s)
    {
        ReadOnlySpan<byte> l = OrderBytes;
        for (int i = 31; i >= 0; i--)
        {
            if (s[i] < l[i]) return true;
            if (s[i] > l[i]) return false;
        }
        return false; // equal to L
    }

    /// <summary>Loads 32 bytes as five 52-bit limbs without reduction (value must be &lt; 2^260).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar FromBytesUnreduced(ReadOnlySpan<byte> s)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(8));
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(16));
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(24));
        return new Scalar(
            w0 & Mask52,
            ((w0 >> 52) | (w1 << 12)) & Mask52,
            ((w1 >> 40) | (w2 << 24)) & Mask52,
            ((w2 >> 28) | (w3 << 36)) & Mask52,
            w3 >> 16);
    }

    /// <summary>Reduces a 512-bit little-endian integer (e.g. a SHA-512 digest, RFC 8032 §5.1.7) mod L.</summary>
    public static Scalar FromBytesWide(ReadOnlySpan<byte> s)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(8));
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(16));
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(24));
        ulong w4 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(32));
        ulong w5 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(40));
        ulong w6 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(48));
        ulong w7 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(56));
        // lo = bits 0..259, hi = bits 260..511
        var lo = new Scalar(
            w0 & Mask52,
            ((w0 >> 52) | (w1 << 12)) & Mask52,
            ((w1 >> 40) | (w2 << 24)) & Mask52,
            ((w2 >> 28) | (w3 << 36)) & Mask52,
            ((w3 >> 16) | (w4 << 48)) & Mask52);
        var hi = new Scalar(
            (w4 >> 4) & Mask52,
            ((w4 >> 56) | (w5 << 8)) & Mask52,
            ((w5 >> 44) | (w6 << 20)) & Mask52,
            ((w6 >> 32) | (w7 << 32)) & Mask52,
            w7 >> 20);
        // lo·R/R = lo mod L; hi·R²/R = hi·2^260 mod L.
        Scalar a = MontgomeryMul(lo, MontR);
        Scalar b = MontgomeryMul(hi, MontRR);
        return Add(a, b);
    }

    /// <summary>Reduces a 256-bit little-endian integer mod L.</summary>
    public static Scalar FromBytesModOrder(ReadOnlySpan<byte> s)
    {
        Span<byte> wide = stackalloc byte[64];
        wide.Clear();
        s.Slice(0, 32).CopyTo(wide);
        return FromBytesWide(wide);
    }

    public readonly void ToBytes(Span<byte> s)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(s, L0 | (L1 << 52));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(8), (L1 >> 12) | (L2 << 40));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(16), (L2 >> 24) | (L3 << 28));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(24), (L3 >> 36) | (L4 << 16));
    }

    /// <summary>(a + b) mod L for a, b &lt; L.</summary>
    public static Scalar Add(in Scalar a, in Scalar b)
    {
        ulong c = 0;
        ulong s0 = a.L0 + b.L0 + c; c = s0 >> 52; s0 &= Mask52;
        ulong s1 = a.L1 + b.L1 + c; c = s1 >> 52; s1 &= Mask52;
        ulong s2 = a.L2 + b.L2 + c; c = s2 >> 52; s2 &= Mask52;
        ulong s3 = a.L3 + b.L3 + c; c = s3 >> 52; s3 &= Mask52;
        ulong s4 = a.L4 + b.L4 + c;
        return SubtractOrderIfNeeded(new Scalar(s0, s1, s2, s3, s4));
    }

    /// <summary>(-a) mod L for a &lt; L.</summary>
    public static Scalar Neg(in Scalar a) => Sub(default, a);

    /// <summary>(a - b) mod L for a, b &lt; L.</summary>
    public static Scalar Sub(in Scalar a, in Scalar b)
    {
        // a - b, then add L back if it borrowed.
        long borrow = 0;
        long d0 = (long)a.L0 - (long)b.L0 + borrow; borrow = d0 >> 52; ulong r0 = (ulong)d0 & Mask52;
        long d1 = (long)a.L1 - (long)b.L1 + borrow; borrow = d1 >> 52; ulong r1 = (ulong)d1 & Mask52;
        long d2 = (long)a.L2 - (long)b.L2 + borrow; borrow = d2 >> 52; ulong r2 = (ulong)d2 & Mask52;
        long d3 = (long)a.L3 - (long)b.L3 + borrow; borrow = d3 >> 52; ulong r3 = (ulong)d3 & Mask52;
        long d4 = (long)a.L4 - (long)b.L4 + borrow; borrow = d4 >> 52; ulong r4 = (ulong)d4 & Mask52;
        ulong mask = borrow < 0 ? Mask52 : 0; // variable time is fine (public data), mask for clarity
        Scalar l = OrderLimbs;
        ulong c = 0;
        r0 += (l.L0 & mask) + c; c = r0 >> 52; r0 &= Mask52;
        r1 += (l.L1 & mask) + c; c = r1 >> 52; r1 &= Mask52;
        r2 += (l.L2 & mask) + c; c = r2 >> 52; r2 &= Mask52;
        r3 += (l.L3 & mask) + c; c = r3 >> 52; r3 &= Mask52;
        r4 += (l.L4 & mask) + c; r4 &= Mask52;
        return new Scalar(r0, r1, r2, r3, r4);
    }

    /// <summary>(a · b) mod L for a, b &lt; L (or a·b &lt; L·2^260).</summary>
    public static Scalar Mul(in Scalar a, in Scalar b) => MontgomeryMul(MontgomeryMul(a, b), MontRR);

    private static Scalar SubtractOrderIfNeeded(in Scalar s)
    {
        Scalar t = Sub(s, OrderLimbs); // Sub adds L back when s < L
        return t;
    }

    /// <summary>a·b/R mod L (Montgomery reduction, R = 2^260). Requires a·b &lt; R·L; result &lt; L.</summary>
    public static Scalar MontgomeryMul(in Scalar a, in Scalar b)
    {
        // 128-bit columns as (lo, hi) ulong pairs: UInt128 operators are not inlined by the JIT.
        Span<ulong> lo = stackalloc ulong[10];
        Span<ulong> hi = stackalloc ulong[10];
        Span<ulong> x = stackalloc ulong[5];
        Span<ulong> y = stackalloc ulong[5];
        Span<ulong> l = stackalloc ulong[5];
        lo.Clear();
        hi.Clear();
        a.CopyTo(x);
        b.CopyTo(y);
        OrderLimbs.CopyTo(l);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                Accumulate(lo, hi, i + j, x[i], y[j]);
        for (int i = 0; i < 5; i++)
        {
            // Add m·L so the low 52 bits of column i vanish, then move column i's carry up.
            ulong m = (lo[i] * LFactor) & Mask52;
            for (int j = 0; j < 5; j++) Accumulate(lo, hi, i + j, m, l[j]);
            CarryUp(lo, hi, i);
        }
        for (int i = 5; i < 9; i++)
        {
            CarryUp(lo, hi, i);
            lo[i] &= Mask52;
        }
        // result < 2L < 2^254, so column 9 is a valid top limb; subtract L once if needed.
        return SubtractOrderIfNeeded(new Scalar(lo[5], lo[6], lo[7], lo[8], lo[9]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Span<ulong> lo, Span<ulong> hi, int k, ulong x, ulong y)
    {
        ulong h = Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(x, y) : Math.BigMul(x, y, out _);
        ulong l = x * y;
        ulong s = lo[k] + l;
        lo[k] = s;
        hi[k] += h + (s < l ? 1UL : 0UL);
    }

    /// <summary>Adds column k's bits above 2^52 to column k+1 (columns stay below 2^116).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CarryUp(Span<ulong> lo, Span<ulong> hi, int k)
    {
        ulong c = (lo[k] >> 52) | (hi[k] << 12);
        ulong s = lo[k + 1] + c;
        lo[k + 1] = s;
        hi[k + 1] += s < c ? 1UL : 0UL;
    }

    private readonly void CopyTo(Span<ulong> limbs)
    {
        limbs[0] = L0; limbs[1] = L1; limbs[2] = L2; limbs[3] = L3; limbs[4] = L4;
    }

    private static Scalar FromBigIntegerUnchecked(BigInteger v)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return FromBytesUnreduced(b);
    }

    public readonly BigInteger ToBigInteger()
    {
        Span<byte> b = stackalloc byte[32];
        ToBytes(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: false);
    }
}
