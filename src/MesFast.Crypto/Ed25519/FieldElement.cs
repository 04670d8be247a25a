using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// Element of GF(2^255 - 19) in radix 2^51 (five 51-bit limbs, little-endian).
/// Limbs are "weakly reduced": outputs of <see cref="Mul"/>, <see cref="Square"/> and <see cref="Sub"/> have
/// limbs below 2^52; <see cref="Add"/> does not carry, so its output (limbs below 2^53) may only be fed to
/// Mul/Square/Sub. The value is only canonical after <see cref="ToBytes"/>.
/// Variable-time where noted: it is used to verify public data only.
/// </summary>
internal struct FieldElement
{
    public ulong L0, L1, L2, L3, L4;

    private const ulong Mask51 = (1UL << 51) - 1;

    // 16 * p, limb-wise: lets Sub compute a - b without underflow for b limbs below 2^55.
    private const ulong SixteenP0 = 16 * ((1UL << 51) - 19);
    private const ulong SixteenPi = 16 * ((1UL << 51) - 1);

    public static readonly BigInteger P = (BigInteger.One << 255) - 19;

    public static FieldElement Zero => default;
    public static FieldElement One => new(1, 0, 0, 0, 0);

    /// <summary>Edwards d = -121665/121666 (RFC 8032 §5.1).</summary>
    public static readonly FieldElement D = FromBigInteger(BigInteger.Remainder(P - 121665 * BigInteger.ModPow(121666, P - 2, P), P));
    public static readonly FieldElement D2 = Add(D, D).Reduced();
    /// <summary>sqrt(-1) = 2^((p-1)/4).</summary>
    public static readonly FieldElement SqrtM1 = FromBigInteger(BigInteger.ModPow(2, (P - 1) / 4, P));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4;
    }

    /// <summary>
    /// Reads 32 bytes little-endian, ignoring bit 255 (the sign of x in point encodings). The 255-bit value
    /// may be ≥ p: it is used as is and reduced by arithmetic (ZIP-215 accepts non-canonical y).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement FromBytes(ReadOnlySpan<byte> s)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(8));
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(16));
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(24));
        return new FieldElement(
            w0 & Mask51,
            ((w0 >> 51) | (w1 << 13)) & Mask51,
            ((w1 >> 38) | (w2 << 26)) & Mask51,
            ((w2 >> 25) | (w3 << 39)) & Mask51,
            (w3 >> 12) & Mask51);
    }

    /// <summary>Canonical (fully reduced, &lt; p) little-endian encoding.</summary>
    public readonly void ToBytes(Span<byte> s)
    {
        FieldElement r = Reduced();
        // r < 2^255 + small; compute q = 1 if r ≥ p, by checking whether r + 19 overflows 2^255.
        ulong q = (r.L0 + 19) >> 51;
        q = (r.L1 + q) >> 51;
        q = (r.L2 + q) >> 51;
        q = (r.L3 + q) >> 51;
        q = (r.L4 + q) >> 51;
        ulong l0 = r.L0 + 19 * q;
        ulong l1 = r.L1 + (l0 >> 51); l0 &= Mask51;
        ulong l2 = r.L2 + (l1 >> 51); l1 &= Mask51;
        ulong l3 = r.L3 + (l2 >> 51); l2 &= Mask51;
        ulong l4 = r.L4 + (l3 >> 51); l3 &= Mask51;
        l4 &= Mask51;
        BinaryPrimitives.WriteUInt64LittleEndian(s, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(8), (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(16), (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(24), (l3 >> 39) | (l4 << 12));
    }

    /// <summary>Carries so that every limb is below 2^51 + 2^13 (value not necessarily &lt; p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly FieldElement Reduced()
    {
        ulong c0 = L0 >> 51, c1 = L1 >> 51, c2 = L2 >> 51, c3 = L3 >> 51, c4 = L4 >> 51;
        return new FieldElement(
            (L0 & Mask51) + c4 * 19,
            (L1 & Mask51) + c0,
            (L2 & Mask51) + c1,
            (L3 & Mask51) + c2,
            (L4 & Mask51) + c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Add(in FieldElement a, in FieldElement b)
        => new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Sub(in FieldElement a, in FieldElement b)
        => new FieldElement(
            a.L0 + SixteenP0 - b.L0,
            a.L1 + SixteenPi - b.L1,
            a.L2 + SixteenPi - b.L2,
            a.L3 + SixteenPi - b.L3,
            a.L4 + SixteenPi - b.L4).Reduced();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Neg(in FieldElement a) => Sub(default, a);

    /// <summary>
    /// High 64 bits of a·b. The low half is computed separately as a plain a * b: Math.BigMul(a, b, out low)
    /// (and mulx with a low pointer) makes the low local address-exposed, so the JIT kept every column in stack
    /// memory; mulx-high + imul keeps all limbs and columns in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulHi(ulong a, ulong b)
        => Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    // Column accumulation without 128-bit carry propagation: with every product p = x·y below 2^111.5, column K
    // keeps cK = Σ (p mod 2^64) (wrapping, plain imul) and hK = Σ (p >> 51) (mulx-high of pre-shifted operands,
    // below 2^63). Then cK - hK·2^51 mod 2^64 is exactly Σ (p mod 2^51) (below 5·2^51), so
    // column >> 51 = hK + ((cK - hK·2^51) >> 51). No compare/setb carries: fewer instructions.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FieldElement Mul(in FieldElement a, in FieldElement b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;
        // Limb products that wrap past 2^255 are multiplied by 19 (2^255 ≡ 19 mod p).
        ulong b1_19 = b1 * 19, b2_19 = b2 * 19, b3_19 = b3 * 19, b4_19 = b4 * 19;
        // Pre-shifted copies: MulHi(x << 7, y << 6) = (x·y) >> 51 exactly, given x < 2^57 and y < 2^58 (a limbs
        // below 2^53.6, b·19 below 2^57.9), so each column's high part needs no low-half bookkeeping.
        ulong sa0 = a0 << 7, sa1 = a1 << 7, sa2 = a2 << 7, sa3 = a3 << 7, sa4 = a4 << 7;
        ulong sb0 = b0 << 6, sb1 = b1 << 6, sb2 = b2 << 6, sb3 = b3 << 6, sb4 = b4 << 6;
        ulong sb1_19 = b1_19 << 6, sb2_19 = b2_19 << 6, sb3_19 = b3_19 << 6, sb4_19 = b4_19 << 6;
        ulong c0 = a0 * b0; ulong h0 = MulHi(sa0, sb0);
        c0 += a4 * b1_19; h0 += MulHi(sa4, sb1_19);
        c0 += a3 * b2_19; h0 += MulHi(sa3, sb2_19);
        c0 += a2 * b3_19; h0 += MulHi(sa2, sb3_19);
        c0 += a1 * b4_19; h0 += MulHi(sa1, sb4_19);
        ulong c1 = a1 * b0; ulong h1 = MulHi(sa1, sb0);
        c1 += a0 * b1; h1 += MulHi(sa0, sb1);
        c1 += a4 * b2_19; h1 += MulHi(sa4, sb2_19);
        c1 += a3 * b3_19; h1 += MulHi(sa3, sb3_19);
        c1 += a2 * b4_19; h1 += MulHi(sa2, sb4_19);
        ulong c2 = a2 * b0; ulong h2 = MulHi(sa2, sb0);
        c2 += a1 * b1; h2 += MulHi(sa1, sb1);
        c2 += a0 * b2; h2 += MulHi(sa0, sb2);
        c2 += a4 * b3_19; h2 += MulHi(sa4, sb3_19);
        c2 += a3 * b4_19; h2 += MulHi(sa3, sb4_19);
        ulong c3 = a3 * b0; ulong h3 = MulHi(sa3, sb0);
        c3 += a2 * b1; h3 += MulHi(sa2, sb1);
        c3 += a1 * b2; h3 += MulHi(sa1, sb2);
        c3 += a0 * b3; h3 += MulHi(sa0, sb3);
        c3 += a4 * b4_19; h3 += MulHi(sa4, sb4_19);
        ulong c4 = a4 * b0; ulong h4 = MulHi(sa4, sb0);
        c4 += a3 * b1; h4 += MulHi(sa3, sb1);
        c4 += a2 * b2; h4 += MulHi(sa2, sb2);
        c4 += a1 * b3; h4 += MulHi(sa1, sb3);
        c4 += a0 * b4; h4 += MulHi(sa0, sb4);
        // Reduce the five 128-bit columns (cK low, hK high) to 51-bit limbs with two parallel carry passes instead
        // of one serial 128-bit carry chain (shorter dependency chains, fewer instructions).
        // Bounds: input limbs are below 2^53.6 (Add of an Add output at worst), ×19 below 2^57.9, so each column
        // is below 5·2^111.5 < 2^114 and kK = column >> 51 is below 2^63.
        ulong k0 = h0; c0 -= k0 << 51; k0 += c0 >> 51;
        ulong k1 = h1; c1 -= k1 << 51; k1 += c1 >> 51;
        ulong k2 = h2; c2 -= k2 << 51; k2 += c2 >> 51;
        ulong k3 = h3; c3 -= k3 << 51; k3 += c3 >> 51;
        ulong k4 = h4; c4 -= k4 << 51; k4 += c4 >> 51;
        // k4·2^255 ≡ 19·k4 = 19·(k4 mod 2^51) + 19·(k4 >> 51)·2^51; r0 < 20·2^51, r1..r4 < 2^63 + 2^52.
        ulong r0 = (c0 & Mask51) + (k4 & Mask51) * 19;
        ulong r1 = (c1 & Mask51) + k0 + (k4 >> 51) * 19;
        ulong r2 = (c2 & Mask51) + k1;
        ulong r3 = (c3 & Mask51) + k2;
        ulong r4 = (c4 & Mask51) + k3;
        // Second pass: carries are below 2^13, so limbs end below 2^51 + 19·2^13.
        ulong l0 = (r0 & Mask51) + (r4 >> 51) * 19;
        ulong l1 = (r1 & Mask51) + (r0 >> 51);
        ulong l2 = (r2 & Mask51) + (r1 >> 51);
        ulong l3 = (r3 & Mask51) + (r2 >> 51);
        ulong l4 = (r4 & Mask51) + (r3 >> 51);
        return new FieldElement(l0, l1, l2, l3, l4);
    }

    /// <summary>a². One step of <see cref="SquareTimes"/>, so the reduction and its bounds live in one place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FieldElement Square(in FieldElement a) => SquareTimes(a, 1);

    /// <summary>a^(2^times), times ≥ 1. The squaring is repeated on locals (no struct round trip per step): the
    /// exponentiation chains of inversion and square roots are ~250 squarings.</summary>
    public static FieldElement SquareTimes(in FieldElement a, int times)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        for (int i = 0; i < times; i++)
        {
            ulong a3_19 = a3 * 19, a4_19 = a4 * 19;
            ulong d0 = a0 * 2, d1 = a1 * 2, d2 = a2 * 2, d4 = a4 * 2;
            // Pre-shifted copies so mulx-high gives each product's bits above 2^51 directly (a limbs below 2^53.6,
            // ×19 below 2^57.9): (a·a)>>51 = hi(a<<7, a<<6), (2a·b)>>51 = hi(a<<7, b<<7), (2a·19b)>>51 = hi(a<<8, 19b<<6).
            ulong t0 = a0 << 7, t1 = a1 << 7, t2 = a2 << 7, t3 = a3 << 7, t4 = a4 << 7;
            ulong u1 = a1 << 8, u2 = a2 << 8, u4 = a4 << 8, v3 = a3_19 << 6, v4 = a4_19 << 6;
            ulong c0 = a0 * a0; ulong h0 = MulHi(t0, a0 << 6);
            c0 += d1 * a4_19; h0 += MulHi(u1, v4);
            c0 += d2 * a3_19; h0 += MulHi(u2, v3);
            ulong c1 = a3 * a3_19; ulong h1 = MulHi(t3, v3);
            c1 += d0 * a1; h1 += MulHi(t0, t1);
            c1 += d2 * a4_19; h1 += MulHi(u2, v4);
            ulong c2 = a1 * a1; ulong h2 = MulHi(t1, a1 << 6);
            c2 += d0 * a2; h2 += MulHi(t0, t2);
            c2 += d4 * a3_19; h2 += MulHi(u4, v3);
            ulong c3 = a4 * a4_19; ulong h3 = MulHi(t4, v4);
            c3 += d0 * a3; h3 += MulHi(t0, t3);
            c3 += d1 * a2; h3 += MulHi(t1, t2);
            ulong c4 = a2 * a2; ulong h4 = MulHi(t2, a2 << 6);
            c4 += d0 * a4; h4 += MulHi(t0, t4);
            c4 += d1 * a3; h4 += MulHi(t1, t3);
            // Reduce the five 128-bit columns (cK low, hK high) to 51-bit limbs with two parallel carry passes instead
            // of one serial 128-bit carry chain (shorter dependency chains, fewer instructions).
            // Bounds: input limbs are below 2^53.6 (Add of an Add output at worst), ×19 below 2^57.9, so each column
            // is below 5·2^111.5 < 2^114 and kK = column >> 51 is below 2^63.
            ulong k0 = h0; c0 -= k0 << 51; k0 += c0 >> 51;
            ulong k1 = h1; c1 -= k1 << 51; k1 += c1 >> 51;
            ulong k2 = h2; c2 -= k2 << 51; k2 += c2 >> 51;
            ulong k3 = h3; c3 -= k3 << 51; k3 += c3 >> 51;
            ulong k4 = h4; c4 -= k4 << 51; k4 += c4 >> 51;
            // k4·2^255 ≡ 19·k4 = 19·(k4 mod 2^51) + 19·(k4 >> 51)·2^51; r0 < 20·2^51, r1..r4 < 2^63 + 2^52.
            ulong r0 = (c0 & Mask51) + (k4 & Mask51) * 19;
            ulong r1 = (c1 & Mask51) + k0 + (k4 >> 51) * 19;
            ulong r2 = (c2 & Mask51) + k1;
            ulong r3 = (c3 & Mask51) + k2;
            ulong r4 = (c4 & Mask51) + k3;
            // Second pass: carries are below 2^13, so limbs end below 2^51 + 19·2^13.
            ulong l0 = (r0 & Mask51) + (r4 >> 51) * 19;
            ulong l1 = (r1 & Mask51) + (r0 >> 51);
            ulong l2 = (r2 & Mask51) + (r1 >> 51);
            ulong l3 = (r3 & Mask51) + (r2 >> 51);
            ulong l4 = (r4 & Mask51) + (r3 >> 51);
            a0 = l0; a1 = l1; a2 = l2; a3 = l3; a4 = l4;
        }
        return new FieldElement(a0, a1, a2, a3, a4);
    }

    /// <summary>Returns (a^(2^250 - 1), a^11): the shared part of inversion and the (p-5)/8 power.</summary>
    private static FieldElement Pow22501(in FieldElement a, out FieldElement a11)
    {
        FieldElement t0 = Square(a);                      // 2
        FieldElement t1 = SquareTimes(t0, 2);             // 8
        FieldElement t2 = Mul(a, t1);                     // 9
        a11 = Mul(t0, t2);                                // 11
        FieldElement t4 = Square(a11);                    // 22
        FieldElement t5 = Mul(t2, t4);                    // 31 = 2^5 - 1
        FieldElement t7 = Mul(SquareTimes(t5, 5), t5);    // 2^10 - 1
        FieldElement t9 = Mul(SquareTimes(t7, 10), t7);   // 2^20 - 1
        FieldElement t11 = Mul(SquareTimes(t9, 20), t9);  // 2^40 - 1
        FieldElement t13 = Mul(SquareTimes(t11, 10), t7); // 2^50 - 1
        FieldElement t15 = Mul(SquareTimes(t13, 50), t13); // 2^100 - 1
        FieldElement t17 = Mul(SquareTimes(t15, 100), t15); // 2^200 - 1
        return Mul(SquareTimes(t17, 50), t13);            // 2^250 - 1
    }

    /// <summary>a^(p-2) = 1/a (0 maps to 0).</summary>
    public static FieldElement Invert(in FieldElement a)
    {
        FieldElement t19 = Pow22501(a, out FieldElement a11);
        return Mul(SquareTimes(t19, 5), a11); // 2^255 - 32 + 11 = p - 2
    }

    /// <summary>a^((p-5)/8) = a^(2^252 - 3).</summary>
    public static FieldElement PowP58(in FieldElement a)
    {
        FieldElement t19 = Pow22501(a, out _);
        return Mul(SquareTimes(t19, 2), a);
    }

    /// <summary>
    /// If u/v is a square, returns true and its non-negative square root in <paramref name="r"/>; otherwise false.
    /// u = 0 gives r = 0 and true. Requires v ≠ 0.
    /// </summary>
    public static bool SqrtRatio(in FieldElement u, in FieldElement v, out FieldElement r)
    {
        FieldElement v3 = Mul(Square(v), v);
        FieldElement v7 = Mul(Square(v3), v);
        r = Mul(Mul(u, v3), PowP58(Mul(u, v7)));
        FieldElement check = Mul(v, Square(r));
        return FinishSqrtRatio(u, check, ref r);
    }

    /// <summary>
    /// The tail of <see cref="SqrtRatio"/> given the candidate r = u·v³·(u·v⁷)^((p-5)/8) and check = v·r²; shared
    /// with the eight-lane decompression so both accept exactly the same inputs.
    /// </summary>
    public static bool FinishSqrtRatio(in FieldElement u, in FieldElement check, ref FieldElement r)
    {
        FieldElement negU = Neg(u);
        bool correct = AreEqual(check, u);
        bool flipped = AreEqual(check, negU);
        bool flippedI = AreEqual(check, Mul(negU, SqrtM1));
        if (flipped || flippedI) r = Mul(r, SqrtM1);
        if (r.IsNegative()) r = Neg(r);
        return correct || flipped;
    }

    public static bool AreEqual(in FieldElement a, in FieldElement b)
    {
        Span<byte> x = stackalloc byte[32];
        Span<byte> y = stackalloc byte[32];
        a.ToBytes(x);
        b.ToBytes(y);
        return x.SequenceEqual(y);
    }

    public readonly bool IsZero()
    {
        Span<byte> x = stackalloc byte[32];
        ToBytes(x);
        return !x.ContainsAnyExcept((byte)0);
    }

    /// <summary>"Negative" = the canonical encoding is odd (RFC 8032 §5.1.2).</summary>
    public readonly bool IsNegative()
    {
        Span<byte> x = stackalloc byte[32];
        ToBytes(x);
        return (x[0] & 1) != 0;
    }

    public static FieldElement FromBigInteger(BigInteger v)
    {
        v = BigInteger.Remainder(v, P);
        if (v.Sign < 0) v += P;
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return FromBytes(b);
    }

    public readonly BigInteger ToBigInteger()
    {
        Span<byte> b = stackalloc byte[32];
        ToBytes(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: false);
    }
}
