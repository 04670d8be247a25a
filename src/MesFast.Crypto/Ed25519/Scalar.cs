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

    // L in 52-bit limbs (OrderLimbs as constants for the unrolled Montgomery multiplication; a test checks they agree).
    private const ulong OrderL0 = 0x2631a5cf5d3ed;
    private const ulong OrderL1 = 0xdea2f79cd6581;
    private const ulong OrderL2 = 0x14def9;
    private const ulong OrderL3 = 0x0;
    private const ulong OrderL4 = 0x100000000000;
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
    /// <remarks>Unrolled over locals: ten 128-bit columns as (lo, hi) pairs (UInt128 operators are not inlined by the
    /// JIT, and span-backed columns cost bounds checks and memory round trips — about 3× slower).</remarks>
    public static Scalar MontgomeryMul(in Scalar a, in Scalar b)
    {
        ulong lo0 = 0, lo1 = 0, lo2 = 0, lo3 = 0, lo4 = 0, lo5 = 0, lo6 = 0, lo7 = 0, lo8 = 0, lo9 = 0;
        ulong hi0 = 0, hi1 = 0, hi2 = 0, hi3 = 0, hi4 = 0, hi5 = 0, hi6 = 0, hi7 = 0, hi8 = 0, hi9 = 0;
        const ulong L0 = OrderL0, L1 = OrderL1, L2 = OrderL2, L3 = OrderL3, L4 = OrderL4;
        { ulong h = MulHi(a.L0, b.L0); ulong p = a.L0 * b.L0; ulong s = lo0 + p; hi0 += h + (s < p ? 1UL : 0UL); lo0 = s; }
        { ulong h = MulHi(a.L0, b.L1); ulong p = a.L0 * b.L1; ulong s = lo1 + p; hi1 += h + (s < p ? 1UL : 0UL); lo1 = s; }
        { ulong h = MulHi(a.L0, b.L2); ulong p = a.L0 * b.L2; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(a.L0, b.L3); ulong p = a.L0 * b.L3; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(a.L0, b.L4); ulong p = a.L0 * b.L4; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(a.L1, b.L0); ulong p = a.L1 * b.L0; ulong s = lo1 + p; hi1 += h + (s < p ? 1UL : 0UL); lo1 = s; }
        { ulong h = MulHi(a.L1, b.L1); ulong p = a.L1 * b.L1; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(a.L1, b.L2); ulong p = a.L1 * b.L2; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(a.L1, b.L3); ulong p = a.L1 * b.L3; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(a.L1, b.L4); ulong p = a.L1 * b.L4; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(a.L2, b.L0); ulong p = a.L2 * b.L0; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(a.L2, b.L1); ulong p = a.L2 * b.L1; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(a.L2, b.L2); ulong p = a.L2 * b.L2; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(a.L2, b.L3); ulong p = a.L2 * b.L3; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(a.L2, b.L4); ulong p = a.L2 * b.L4; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong h = MulHi(a.L3, b.L0); ulong p = a.L3 * b.L0; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(a.L3, b.L1); ulong p = a.L3 * b.L1; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(a.L3, b.L2); ulong p = a.L3 * b.L2; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(a.L3, b.L3); ulong p = a.L3 * b.L3; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong h = MulHi(a.L3, b.L4); ulong p = a.L3 * b.L4; ulong s = lo7 + p; hi7 += h + (s < p ? 1UL : 0UL); lo7 = s; }
        { ulong h = MulHi(a.L4, b.L0); ulong p = a.L4 * b.L0; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(a.L4, b.L1); ulong p = a.L4 * b.L1; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(a.L4, b.L2); ulong p = a.L4 * b.L2; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong h = MulHi(a.L4, b.L3); ulong p = a.L4 * b.L3; ulong s = lo7 + p; hi7 += h + (s < p ? 1UL : 0UL); lo7 = s; }
        { ulong h = MulHi(a.L4, b.L4); ulong p = a.L4 * b.L4; ulong s = lo8 + p; hi8 += h + (s < p ? 1UL : 0UL); lo8 = s; }
        ulong m0 = (lo0 * LFactor) & Mask52;
        { ulong h = MulHi(m0, L0); ulong p = m0 * L0; ulong s = lo0 + p; hi0 += h + (s < p ? 1UL : 0UL); lo0 = s; }
        { ulong h = MulHi(m0, L1); ulong p = m0 * L1; ulong s = lo1 + p; hi1 += h + (s < p ? 1UL : 0UL); lo1 = s; }
        { ulong h = MulHi(m0, L2); ulong p = m0 * L2; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(m0, L3); ulong p = m0 * L3; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(m0, L4); ulong p = m0 * L4; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong c = (lo0 >> 52) | (hi0 << 12); ulong s = lo1 + c; hi1 += s < c ? 1UL : 0UL; lo1 = s; }
        ulong m1 = (lo1 * LFactor) & Mask52;
        { ulong h = MulHi(m1, L0); ulong p = m1 * L0; ulong s = lo1 + p; hi1 += h + (s < p ? 1UL : 0UL); lo1 = s; }
        { ulong h = MulHi(m1, L1); ulong p = m1 * L1; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(m1, L2); ulong p = m1 * L2; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(m1, L3); ulong p = m1 * L3; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(m1, L4); ulong p = m1 * L4; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong c = (lo1 >> 52) | (hi1 << 12); ulong s = lo2 + c; hi2 += s < c ? 1UL : 0UL; lo2 = s; }
        ulong m2 = (lo2 * LFactor) & Mask52;
        { ulong h = MulHi(m2, L0); ulong p = m2 * L0; ulong s = lo2 + p; hi2 += h + (s < p ? 1UL : 0UL); lo2 = s; }
        { ulong h = MulHi(m2, L1); ulong p = m2 * L1; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(m2, L2); ulong p = m2 * L2; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(m2, L3); ulong p = m2 * L3; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(m2, L4); ulong p = m2 * L4; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong c = (lo2 >> 52) | (hi2 << 12); ulong s = lo3 + c; hi3 += s < c ? 1UL : 0UL; lo3 = s; }
        ulong m3 = (lo3 * LFactor) & Mask52;
        { ulong h = MulHi(m3, L0); ulong p = m3 * L0; ulong s = lo3 + p; hi3 += h + (s < p ? 1UL : 0UL); lo3 = s; }
        { ulong h = MulHi(m3, L1); ulong p = m3 * L1; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(m3, L2); ulong p = m3 * L2; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(m3, L3); ulong p = m3 * L3; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong h = MulHi(m3, L4); ulong p = m3 * L4; ulong s = lo7 + p; hi7 += h + (s < p ? 1UL : 0UL); lo7 = s; }
        { ulong c = (lo3 >> 52) | (hi3 << 12); ulong s = lo4 + c; hi4 += s < c ? 1UL : 0UL; lo4 = s; }
        ulong m4 = (lo4 * LFactor) & Mask52;
        { ulong h = MulHi(m4, L0); ulong p = m4 * L0; ulong s = lo4 + p; hi4 += h + (s < p ? 1UL : 0UL); lo4 = s; }
        { ulong h = MulHi(m4, L1); ulong p = m4 * L1; ulong s = lo5 + p; hi5 += h + (s < p ? 1UL : 0UL); lo5 = s; }
        { ulong h = MulHi(m4, L2); ulong p = m4 * L2; ulong s = lo6 + p; hi6 += h + (s < p ? 1UL : 0UL); lo6 = s; }
        { ulong h = MulHi(m4, L3); ulong p = m4 * L3; ulong s = lo7 + p; hi7 += h + (s < p ? 1UL : 0UL); lo7 = s; }
        { ulong h = MulHi(m4, L4); ulong p = m4 * L4; ulong s = lo8 + p; hi8 += h + (s < p ? 1UL : 0UL); lo8 = s; }
        { ulong c = (lo4 >> 52) | (hi4 << 12); ulong s = lo5 + c; hi5 += s < c ? 1UL : 0UL; lo5 = s; }
        { ulong c = (lo5 >> 52) | (hi5 << 12); ulong s = lo6 + c; hi6 += s < c ? 1UL : 0UL; lo6 = s; }
        lo5 &= Mask52;
        { ulong c = (lo6 >> 52) | (hi6 << 12); ulong s = lo7 + c; hi7 += s < c ? 1UL : 0UL; lo7 = s; }
        lo6 &= Mask52;
        { ulong c = (lo7 >> 52) | (hi7 << 12); ulong s = lo8 + c; hi8 += s < c ? 1UL : 0UL; lo8 = s; }
        lo7 &= Mask52;
        { ulong c = (lo8 >> 52) | (hi8 << 12); ulong s = lo9 + c; hi9 += s < c ? 1UL : 0UL; lo9 = s; }
        lo8 &= Mask52;
        _ = hi9; // the top column's carry is zero: the result is below 2L
        // result < 2L < 2^254, so column 9 is a valid top limb; subtract L once if needed.
        return SubtractOrderIfNeeded(new Scalar(lo5, lo6, lo7, lo8, lo9));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulHi(ulong x, ulong y) => Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(x, y) : Math.BigMul(x, y, out _);

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
