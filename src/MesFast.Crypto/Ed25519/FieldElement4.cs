using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// Four elements of GF(2^255 - 19) side by side, one per 64-bit lane of a <see cref="Vector256{T}"/>, in the radix
/// 2^25.5 of <see cref="FieldElement8"/> (ten limbs of 26, 25, 26, … bits). Used "horizontally" for the parallel
/// point formulas of Hisil–Wong–Carter–Dawson (2008): one point's four coordinates live in the four lanes, so the
/// four independent multiplications of an addition or a doubling are one lane multiplication. Lane shuffles and
/// per-lane signs (<see cref="Linear"/>) do the glue between them.
/// Invariant as in <see cref="FieldElement8"/>: limbs below 2^27 between operations, so products stay exact with
/// 32×32→64-bit lane multiplies.
/// </summary>
internal struct FieldElement4
{
    public Vector256<ulong> L0, L1, L2, L3, L4, L5, L6, L7, L8, L9;

    private const ulong Mask26 = (1UL << 26) - 1;
    private const ulong Mask25 = (1UL << 25) - 1;

    /// <summary>Packs four weakly reduced elements (limbs below 2^52) into lanes 0..3.</summary>
    public static FieldElement4 FromLanes(in FieldElement a, in FieldElement b, in FieldElement c, in FieldElement d)
    {
        FieldElement x = a.Reduced(), y = b.Reduced(), z = c.Reduced(), w = d.Reduced();
        return new FieldElement4
        {
            L0 = Vector256.Create(x.L0 & Mask26, y.L0 & Mask26, z.L0 & Mask26, w.L0 & Mask26),
            L1 = Vector256.Create(x.L0 >> 26, y.L0 >> 26, z.L0 >> 26, w.L0 >> 26),
            L2 = Vector256.Create(x.L1 & Mask26, y.L1 & Mask26, z.L1 & Mask26, w.L1 & Mask26),
            L3 = Vector256.Create(x.L1 >> 26, y.L1 >> 26, z.L1 >> 26, w.L1 >> 26),
            L4 = Vector256.Create(x.L2 & Mask26, y.L2 & Mask26, z.L2 & Mask26, w.L2 & Mask26),
            L5 = Vector256.Create(x.L2 >> 26, y.L2 >> 26, z.L2 >> 26, w.L2 >> 26),
            L6 = Vector256.Create(x.L3 & Mask26, y.L3 & Mask26, z.L3 & Mask26, w.L3 & Mask26),
            L7 = Vector256.Create(x.L3 >> 26, y.L3 >> 26, z.L3 >> 26, w.L3 >> 26),
            L8 = Vector256.Create(x.L4 & Mask26, y.L4 & Mask26, z.L4 & Mask26, w.L4 & Mask26),
            L9 = Vector256.Create(x.L4 >> 26, y.L4 >> 26, z.L4 >> 26, w.L4 >> 26),
        };
    }

    /// <summary>
    /// Transposes four eight-lane elements into eight four-lane ones: dest[offset + i·stride] gets lanes
    /// (a_i, b_i, c_i, d_i). Both types use the same radix-2^25.5 limbs, so this is pure data movement (used to lay out
    /// tables built on <see cref="FieldElement8"/> lanes without a round trip through radix 2^51).
    /// </summary>
    public static void Transpose(in FieldElement8 a, in FieldElement8 b, in FieldElement8 c, in FieldElement8 d,
        Span<FieldElement4> dest, int stride, int offset) => Transpose(a, b, c, d, dest, stride, offset, Avx512F.IsSupported);

    /// <summary><see cref="Transpose(in FieldElement8, in FieldElement8, in FieldElement8, in FieldElement8, Span{FieldElement4}, int, int)"/> with the AVX-512 path on or off (tests compare both).</summary>
    internal static void Transpose(in FieldElement8 a, in FieldElement8 b, in FieldElement8 c, in FieldElement8 d,
        Span<FieldElement4> dest, int stride, int offset, bool useAvx512)
    {
        if (offset + (7 * stride) >= dest.Length) throw new ArgumentOutOfRangeException(nameof(dest));
        for (int k = 0; k < 10; k++)
        {
            Vector512<ulong> ak = Unsafe.Add(ref Unsafe.AsRef(in a.L0), k), bk = Unsafe.Add(ref Unsafe.AsRef(in b.L0), k);
            Vector512<ulong> ck = Unsafe.Add(ref Unsafe.AsRef(in c.L0), k), dk = Unsafe.Add(ref Unsafe.AsRef(in d.L0), k);
            if (useAvx512 && Avx512F.IsSupported)
            {
                // Interleave pairs (a_i, b_i) and (c_i, d_i), then join the two pairs of each point with one two-source permute.
                Vector512<ulong> ab0 = Avx512F.UnpackLow(ak, bk), ab1 = Avx512F.UnpackHigh(ak, bk);
                Vector512<ulong> cd0 = Avx512F.UnpackLow(ck, dk), cd1 = Avx512F.UnpackHigh(ck, dk);
                Vector512<ulong> lowPoints = Vector512.Create(0UL, 1, 8, 9, 2, 3, 10, 11);
                Vector512<ulong> highPoints = Vector512.Create(4UL, 5, 12, 13, 6, 7, 14, 15);
                Vector512<ulong> p02 = Avx512F.PermuteVar8x64x2(ab0, lowPoints, cd0), p46 = Avx512F.PermuteVar8x64x2(ab0, highPoints, cd0);
                Vector512<ulong> p13 = Avx512F.PermuteVar8x64x2(ab1, lowPoints, cd1), p57 = Avx512F.PermuteVar8x64x2(ab1, highPoints, cd1);
                Limb(dest, offset, k) = p02.GetLower();
                Limb(dest, offset + stride, k) = p13.GetLower();
                Limb(dest, offset + (2 * stride), k) = p02.GetUpper();
                Limb(dest, offset + (3 * stride), k) = p13.GetUpper();
                Limb(dest, offset + (4 * stride), k) = p46.GetLower();
                Limb(dest, offset + (5 * stride), k) = p57.GetLower();
                Limb(dest, offset + (6 * stride), k) = p46.GetUpper();
                Limb(dest, offset + (7 * stride), k) = p57.GetUpper();
            }
            else
            {
                for (int i = 0; i < 8; i++)
                    Limb(dest, offset + (i * stride), k) = Vector256.Create(ak.GetElement(i), bk.GetElement(i), ck.GetElement(i), dk.GetElement(i));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<ulong> Limb(Span<FieldElement4> elements, int index, int k) => ref Unsafe.Add(ref elements[index].L0, k);

    /// <summary>Lane <paramref name="lane"/> as a weakly reduced <see cref="FieldElement"/> (limbs below 2^27 merge below 2^53).</summary>
    public readonly FieldElement GetLane(int lane) => new FieldElement(
        L0.GetElement(lane) + (L1.GetElement(lane) << 26),
        L2.GetElement(lane) + (L3.GetElement(lane) << 26),
        L4.GetElement(lane) + (L5.GetElement(lane) << 26),
        L6.GetElement(lane) + (L7.GetElement(lane) << 26),
        L8.GetElement(lane) + (L9.GetElement(lane) << 26)).Reduced();

    /// <summary>Lane-index control for <see cref="Permute"/>: result lane i takes source lane i0/i1/i2/i3.</summary>
    public static Vector256<uint> Lanes(int i0, int i1, int i2, int i3) => Vector256.Create(
        (uint)(2 * i0), (uint)((2 * i0) + 1), (uint)(2 * i1), (uint)((2 * i1) + 1),
        (uint)(2 * i2), (uint)((2 * i2) + 1), (uint)(2 * i3), (uint)((2 * i3) + 1));

    /// <summary>All-ones in the lanes whose flag is set (masks for <see cref="Linear"/>).</summary>
    public static Vector256<ulong> Mask(bool m0, bool m1, bool m2, bool m3) => Vector256.Create(
        m0 ? ulong.MaxValue : 0, m1 ? ulong.MaxValue : 0, m2 ? ulong.MaxValue : 0, m3 ? ulong.MaxValue : 0);

    /// <summary>
    /// Cross-lane move of 64-bit lanes. vpermd with a (lane pair) control vector: the control is data, so one compiled
    /// body serves every pattern (add or subtract). The software shuffle gives the same lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Permute(Vector256<ulong> v, Vector256<uint> control)
        => Avx2.IsSupported ? Avx2.PermuteVar8x32(v.AsUInt32(), control).AsUInt64() : Vector256.Shuffle(v.AsUInt32(), control).AsUInt64();

    /// <summary>
    /// Control for <see cref="PairSelect"/>: result lane i takes element s_i (0 or 1) of its own 128-bit half. In-half
    /// moves (vpermilpd) are cheaper than cross-lane ones (vpermd/vpermq): the addition's glue needs only these.
    /// </summary>
    public static Vector256<long> PairLanes(int s0, int s1, int s2, int s3) => Vector256.Create((long)s0 << 1, (long)s1 << 1, (long)s2 << 1, (long)s3 << 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> PairSelect(Vector256<ulong> v, Vector256<long> control)
        => Avx.IsSupported
            ? Avx.PermuteVar(v.AsDouble(), control).AsUInt64()
            : Vector256.Create(v.GetElement((int)(control.GetElement(0) >> 1)), v.GetElement((int)(control.GetElement(1) >> 1)),
                v.GetElement(2 + (int)(control.GetElement(2) >> 1)), v.GetElement(2 + (int)(control.GetElement(3) >> 1)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M<TMul>(Vector256<ulong> a, Vector256<ulong> b) where TMul : struct, ILaneMultiplier
        => TMul.Multiply(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Times19(Vector256<ulong> a) => (a << 4) + (a << 1) + a;

    /// <summary>
    /// 19·a as one lane multiply instead of two shifts and two adds (the vector ALUs, not the multiplier, are the
    /// bottleneck here). Only for multiplicands: their limbs are below 2^27.6, so 19·a stays below 2^32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M19<TMul>(Vector256<ulong> a) where TMul : struct, ILaneMultiplier
        => TMul.Multiply(a, Vector256.Create(19UL));

    /// <summary>One limb of <see cref="Linear"/>: u' + (±w'), with -w' taken as 2p - w' (w' below 2p's limb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> LinearLimb(Vector256<ulong> u, Vector256<uint> permU, Vector256<ulong> doubleU,
        Vector256<ulong> w, Vector256<uint> permW, Vector256<ulong> keepW, Vector256<ulong> negW, Vector256<ulong> twoP)
    {
        Vector256<ulong> x = Permute(u, permU);
        x += x & doubleU;
        Vector256<ulong> y = Permute(w, permW) & keepW;
        return x + Vector256.ConditionalSelect(negW, twoP - y, y);
    }

    /// <summary>
    /// Per lane i: r_i = c_i·u[permU_i] ± w[permW_i] (or 0), where c_i is 2 in the lanes of <paramref name="doubleU"/>,
    /// the second term is kept in the lanes of <paramref name="keepW"/> and negated in those of <paramref name="negW"/>.
    /// Every glue step of the parallel formulas is one or two of these. Inputs must be carried (limbs below 2^26 + 2^17
    /// for even, 2^25 + 2^17 for odd limbs, under 2p's limbs); the sum is below 2^28.2 and one carry round brings it back.
    /// <paramref name="r"/> may alias an input: all limbs are read before it is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Linear(in FieldElement4 u, Vector256<uint> permU, Vector256<ulong> doubleU,
        in FieldElement4 w, Vector256<uint> permW, Vector256<ulong> keepW, Vector256<ulong> negW, out FieldElement4 r)
    {
        Vector256<ulong> twoP0 = Vector256.Create((2 * Mask26) - 36);
        Vector256<ulong> twoPEven = Vector256.Create(2 * Mask26);
        Vector256<ulong> twoPOdd = Vector256.Create(2 * Mask25);
        Vector256<ulong> h0 = LinearLimb(u.L0, permU, doubleU, w.L0, permW, keepW, negW, twoP0);
        Vector256<ulong> h1 = LinearLimb(u.L1, permU, doubleU, w.L1, permW, keepW, negW, twoPOdd);
        Vector256<ulong> h2 = LinearLimb(u.L2, permU, doubleU, w.L2, permW, keepW, negW, twoPEven);
        Vector256<ulong> h3 = LinearLimb(u.L3, permU, doubleU, w.L3, permW, keepW, negW, twoPOdd);
        Vector256<ulong> h4 = LinearLimb(u.L4, permU, doubleU, w.L4, permW, keepW, negW, twoPEven);
        Vector256<ulong> h5 = LinearLimb(u.L5, permU, doubleU, w.L5, permW, keepW, negW, twoPOdd);
        Vector256<ulong> h6 = LinearLimb(u.L6, permU, doubleU, w.L6, permW, keepW, negW, twoPEven);
        Vector256<ulong> h7 = LinearLimb(u.L7, permU, doubleU, w.L7, permW, keepW, negW, twoPOdd);
        Vector256<ulong> h8 = LinearLimb(u.L8, permU, doubleU, w.L8, permW, keepW, negW, twoPEven);
        Vector256<ulong> h9 = LinearLimb(u.L9, permU, doubleU, w.L9, permW, keepW, negW, twoPOdd);
        Carry(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> PairLinearLimb(Vector256<ulong> u, Vector256<long> selU, bool twice, Vector256<ulong> doubleU,
        Vector256<ulong> w, Vector256<long> selW, bool keep, Vector256<ulong> keepW, Vector256<ulong> negW, Vector256<ulong> twoP)
    {
        Vector256<ulong> x = PairSelect(u, selU);
        if (twice) x += x & doubleU;
        Vector256<ulong> y = PairSelect(w, selW);
        if (keep) y &= keepW;
        return x + Vector256.ConditionalSelect(negW, twoP - y, y);
    }

    /// <summary>
    /// <see cref="Linear"/> with in-half lane moves (<see cref="PairSelect"/>). With <paramref name="carry"/> false the
    /// sums are stored as they are: limbs below 2^27.6 (2·(2^26 + 2^17) or 2^26 + 2^17 plus 2p's limb), which is fine
    /// for one multiplication by a carried element (columns stay below 2^62) and saves a carry round. The flags are
    /// constants at every call: <paramref name="twice"/> false skips the doubling mask, <paramref name="keep"/> false
    /// keeps every lane of the second term (no masking instructions for patterns that do not need them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PairLinear(in FieldElement4 u, Vector256<long> selU, bool twice, Vector256<ulong> doubleU,
        in FieldElement4 w, Vector256<long> selW, bool keep, Vector256<ulong> keepW, Vector256<ulong> negW, bool carry, out FieldElement4 r)
    {
        Vector256<ulong> twoP0 = Vector256.Create((2 * Mask26) - 36);
        Vector256<ulong> twoPEven = Vector256.Create(2 * Mask26);
        Vector256<ulong> twoPOdd = Vector256.Create(2 * Mask25);
        Vector256<ulong> h0 = PairLinearLimb(u.L0, selU, twice, doubleU, w.L0, selW, keep, keepW, negW, twoP0);
        Vector256<ulong> h1 = PairLinearLimb(u.L1, selU, twice, doubleU, w.L1, selW, keep, keepW, negW, twoPOdd);
        Vector256<ulong> h2 = PairLinearLimb(u.L2, selU, twice, doubleU, w.L2, selW, keep, keepW, negW, twoPEven);
        Vector256<ulong> h3 = PairLinearLimb(u.L3, selU, twice, doubleU, w.L3, selW, keep, keepW, negW, twoPOdd);
        Vector256<ulong> h4 = PairLinearLimb(u.L4, selU, twice, doubleU, w.L4, selW, keep, keepW, negW, twoPEven);
        Vector256<ulong> h5 = PairLinearLimb(u.L5, selU, twice, doubleU, w.L5, selW, keep, keepW, negW, twoPOdd);
        Vector256<ulong> h6 = PairLinearLimb(u.L6, selU, twice, doubleU, w.L6, selW, keep, keepW, negW, twoPEven);
        Vector256<ulong> h7 = PairLinearLimb(u.L7, selU, twice, doubleU, w.L7, selW, keep, keepW, negW, twoPOdd);
        Vector256<ulong> h8 = PairLinearLimb(u.L8, selU, twice, doubleU, w.L8, selW, keep, keepW, negW, twoPEven);
        Vector256<ulong> h9 = PairLinearLimb(u.L9, selU, twice, doubleU, w.L9, selW, keep, keepW, negW, twoPOdd);
        if (carry)
        {
            Carry(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, out r);
        }
        else
        {
            r.L0 = h0; r.L1 = h1; r.L2 = h2; r.L3 = h3; r.L4 = h4; r.L5 = h5; r.L6 = h6; r.L7 = h7; r.L8 = h8; r.L9 = h9;
        }
    }

    /// <summary>One carry round for sums below 2^29: limbs end below 2^26 + 2^9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Carry(Vector256<ulong> h0, Vector256<ulong> h1, Vector256<ulong> h2, Vector256<ulong> h3,
        Vector256<ulong> h4, Vector256<ulong> h5, Vector256<ulong> h6, Vector256<ulong> h7, Vector256<ulong> h8, Vector256<ulong> h9,
        out FieldElement4 r)
    {
        Vector256<ulong> m26 = Vector256.Create(Mask26), m25 = Vector256.Create(Mask25);
        r.L0 = (h0 & m26) + Times19(h9 >> 25);
        r.L1 = (h1 & m25) + (h0 >> 26);
        r.L2 = (h2 & m26) + (h1 >> 25);
        r.L3 = (h3 & m25) + (h2 >> 26);
        r.L4 = (h4 & m26) + (h3 >> 25);
        r.L5 = (h5 & m25) + (h4 >> 26);
        r.L6 = (h6 & m26) + (h5 >> 25);
        r.L7 = (h7 & m25) + (h6 >> 26);
        r.L8 = (h8 & m26) + (h7 >> 25);
        r.L9 = (h9 & m25) + (h8 >> 26);
    }

    /// <summary>
    /// Lane-wise a·b. Row by row like <see cref="FieldElement8.Mul"/> (odd×odd limb products carry a factor 2, wrapped
    /// columns a factor 19); written to <paramref name="r"/>, which may alias an input (inputs are read first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mul<TMul>(in FieldElement4 a, in FieldElement4 b, out FieldElement4 r) where TMul : struct, ILaneMultiplier
    {
        Vector256<ulong> g0 = b.L0, g1 = b.L1, g2 = b.L2, g3 = b.L3, g4 = b.L4, g5 = b.L5, g6 = b.L6, g7 = b.L7, g8 = b.L8, g9 = b.L9;
        Vector256<ulong> g1_19 = M19<TMul>(g1), g2_19 = M19<TMul>(g2), g3_19 = M19<TMul>(g3), g4_19 = M19<TMul>(g4), g5_19 = M19<TMul>(g5);
        Vector256<ulong> g6_19 = M19<TMul>(g6), g7_19 = M19<TMul>(g7), g8_19 = M19<TMul>(g8), g9_19 = M19<TMul>(g9);
        Vector256<ulong> f0 = a.L0;
        Vector256<ulong> h0 = M<TMul>(f0, g0);
        Vector256<ulong> h1 = M<TMul>(f0, g1);
        Vector256<ulong> h2 = M<TMul>(f0, g2);
        Vector256<ulong> h3 = M<TMul>(f0, g3);
        Vector256<ulong> h4 = M<TMul>(f0, g4);
        Vector256<ulong> h5 = M<TMul>(f0, g5);
        Vector256<ulong> h6 = M<TMul>(f0, g6);
        Vector256<ulong> h7 = M<TMul>(f0, g7);
        Vector256<ulong> h8 = M<TMul>(f0, g8);
        Vector256<ulong> h9 = M<TMul>(f0, g9);
        Vector256<ulong> f1 = a.L1;
        Vector256<ulong> f1_2 = f1 << 1;
        h1 += M<TMul>(f1, g0);
        h2 += M<TMul>(f1_2, g1);
        h3 += M<TMul>(f1, g2);
        h4 += M<TMul>(f1_2, g3);
        h5 += M<TMul>(f1, g4);
        h6 += M<TMul>(f1_2, g5);
        h7 += M<TMul>(f1, g6);
        h8 += M<TMul>(f1_2, g7);
        h9 += M<TMul>(f1, g8);
        h0 += M<TMul>(f1_2, g9_19);
        Vector256<ulong> f2 = a.L2;
        h2 += M<TMul>(f2, g0);
        h3 += M<TMul>(f2, g1);
        h4 += M<TMul>(f2, g2);
        h5 += M<TMul>(f2, g3);
        h6 += M<TMul>(f2, g4);
        h7 += M<TMul>(f2, g5);
        h8 += M<TMul>(f2, g6);
        h9 += M<TMul>(f2, g7);
        h0 += M<TMul>(f2, g8_19);
        h1 += M<TMul>(f2, g9_19);
        Vector256<ulong> f3 = a.L3;
        Vector256<ulong> f3_2 = f3 << 1;
        h3 += M<TMul>(f3, g0);
        h4 += M<TMul>(f3_2, g1);
        h5 += M<TMul>(f3, g2);
        h6 += M<TMul>(f3_2, g3);
        h7 += M<TMul>(f3, g4);
        h8 += M<TMul>(f3_2, g5);
        h9 += M<TMul>(f3, g6);
        h0 += M<TMul>(f3_2, g7_19);
        h1 += M<TMul>(f3, g8_19);
        h2 += M<TMul>(f3_2, g9_19);
        Vector256<ulong> f4 = a.L4;
        h4 += M<TMul>(f4, g0);
        h5 += M<TMul>(f4, g1);
        h6 += M<TMul>(f4, g2);
        h7 += M<TMul>(f4, g3);
        h8 += M<TMul>(f4, g4);
        h9 += M<TMul>(f4, g5);
        h0 += M<TMul>(f4, g6_19);
        h1 += M<TMul>(f4, g7_19);
        h2 += M<TMul>(f4, g8_19);
        h3 += M<TMul>(f4, g9_19);
        Vector256<ulong> f5 = a.L5;
        Vector256<ulong> f5_2 = f5 << 1;
        h5 += M<TMul>(f5, g0);
        h6 += M<TMul>(f5_2, g1);
        h7 += M<TMul>(f5, g2);
        h8 += M<TMul>(f5_2, g3);
        h9 += M<TMul>(f5, g4);
        h0 += M<TMul>(f5_2, g5_19);
        h1 += M<TMul>(f5, g6_19);
        h2 += M<TMul>(f5_2, g7_19);
        h3 += M<TMul>(f5, g8_19);
        h4 += M<TMul>(f5_2, g9_19);
        Vector256<ulong> f6 = a.L6;
        h6 += M<TMul>(f6, g0);
        h7 += M<TMul>(f6, g1);
        h8 += M<TMul>(f6, g2);
        h9 += M<TMul>(f6, g3);
        h0 += M<TMul>(f6, g4_19);
        h1 += M<TMul>(f6, g5_19);
        h2 += M<TMul>(f6, g6_19);
        h3 += M<TMul>(f6, g7_19);
        h4 += M<TMul>(f6, g8_19);
        h5 += M<TMul>(f6, g9_19);
        Vector256<ulong> f7 = a.L7;
        Vector256<ulong> f7_2 = f7 << 1;
        h7 += M<TMul>(f7, g0);
        h8 += M<TMul>(f7_2, g1);
        h9 += M<TMul>(f7, g2);
        h0 += M<TMul>(f7_2, g3_19);
        h1 += M<TMul>(f7, g4_19);
        h2 += M<TMul>(f7_2, g5_19);
        h3 += M<TMul>(f7, g6_19);
        h4 += M<TMul>(f7_2, g7_19);
        h5 += M<TMul>(f7, g8_19);
        h6 += M<TMul>(f7_2, g9_19);
        Vector256<ulong> f8 = a.L8;
        h8 += M<TMul>(f8, g0);
        h9 += M<TMul>(f8, g1);
        h0 += M<TMul>(f8, g2_19);
        h1 += M<TMul>(f8, g3_19);
        h2 += M<TMul>(f8, g4_19);
        h3 += M<TMul>(f8, g5_19);
        h4 += M<TMul>(f8, g6_19);
        h5 += M<TMul>(f8, g7_19);
        h6 += M<TMul>(f8, g8_19);
        h7 += M<TMul>(f8, g9_19);
        Vector256<ulong> f9 = a.L9;
        Vector256<ulong> f9_2 = f9 << 1;
        h9 += M<TMul>(f9, g0);
        h0 += M<TMul>(f9_2, g1_19);
        h1 += M<TMul>(f9, g2_19);
        h2 += M<TMul>(f9_2, g3_19);
        h3 += M<TMul>(f9, g4_19);
        h4 += M<TMul>(f9_2, g5_19);
        h5 += M<TMul>(f9, g6_19);
        h6 += M<TMul>(f9_2, g7_19);
        h7 += M<TMul>(f9, g8_19);
        h8 += M<TMul>(f9_2, g9_19);
        CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, out r);
    }

    /// <summary>
    /// Completed → extended: lane-wise (X, Y, Z, X)·(T, Z, T, Y) of c = (X, Y, Z, T). The operands are shuffled as they
    /// are loaded (constant controls: vpermq with an immediate, or the software shuffle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulToExtended<TMul>(in FieldElement4 c, out FieldElement4 r) where TMul : struct, ILaneMultiplier
    {
        Vector256<ulong> g0 = Right(c.L0), g1 = Right(c.L1), g2 = Right(c.L2), g3 = Right(c.L3), g4 = Right(c.L4);
        Vector256<ulong> g5 = Right(c.L5), g6 = Right(c.L6), g7 = Right(c.L7), g8 = Right(c.L8), g9 = Right(c.L9);
        Vector256<ulong> g1_19 = M19<TMul>(g1), g2_19 = M19<TMul>(g2), g3_19 = M19<TMul>(g3), g4_19 = M19<TMul>(g4), g5_19 = M19<TMul>(g5);
        Vector256<ulong> g6_19 = M19<TMul>(g6), g7_19 = M19<TMul>(g7), g8_19 = M19<TMul>(g8), g9_19 = M19<TMul>(g9);
        Vector256<ulong> f0 = Left(c.L0);
        Vector256<ulong> h0 = M<TMul>(f0, g0);
        Vector256<ulong> h1 = M<TMul>(f0, g1);
        Vector256<ulong> h2 = M<TMul>(f0, g2);
        Vector256<ulong> h3 = M<TMul>(f0, g3);
        Vector256<ulong> h4 = M<TMul>(f0, g4);
        Vector256<ulong> h5 = M<TMul>(f0, g5);
        Vector256<ulong> h6 = M<TMul>(f0, g6);
        Vector256<ulong> h7 = M<TMul>(f0, g7);
        Vector256<ulong> h8 = M<TMul>(f0, g8);
        Vector256<ulong> h9 = M<TMul>(f0, g9);
        Vector256<ulong> f1 = Left(c.L1);
        Vector256<ulong> f1_2 = f1 << 1;
        h1 += M<TMul>(f1, g0);
        h2 += M<TMul>(f1_2, g1);
        h3 += M<TMul>(f1, g2);
        h4 += M<TMul>(f1_2, g3);
        h5 += M<TMul>(f1, g4);
        h6 += M<TMul>(f1_2, g5);
        h7 += M<TMul>(f1, g6);
        h8 += M<TMul>(f1_2, g7);
        h9 += M<TMul>(f1, g8);
        h0 += M<TMul>(f1_2, g9_19);
        Vector256<ulong> f2 = Left(c.L2);
        h2 += M<TMul>(f2, g0);
        h3 += M<TMul>(f2, g1);
        h4 += M<TMul>(f2, g2);
        h5 += M<TMul>(f2, g3);
        h6 += M<TMul>(f2, g4);
        h7 += M<TMul>(f2, g5);
        h8 += M<TMul>(f2, g6);
        h9 += M<TMul>(f2, g7);
        h0 += M<TMul>(f2, g8_19);
        h1 += M<TMul>(f2, g9_19);
        Vector256<ulong> f3 = Left(c.L3);
        Vector256<ulong> f3_2 = f3 << 1;
        h3 += M<TMul>(f3, g0);
        h4 += M<TMul>(f3_2, g1);
        h5 += M<TMul>(f3, g2);
        h6 += M<TMul>(f3_2, g3);
        h7 += M<TMul>(f3, g4);
        h8 += M<TMul>(f3_2, g5);
        h9 += M<TMul>(f3, g6);
        h0 += M<TMul>(f3_2, g7_19);
        h1 += M<TMul>(f3, g8_19);
        h2 += M<TMul>(f3_2, g9_19);
        Vector256<ulong> f4 = Left(c.L4);
        h4 += M<TMul>(f4, g0);
        h5 += M<TMul>(f4, g1);
        h6 += M<TMul>(f4, g2);
        h7 += M<TMul>(f4, g3);
        h8 += M<TMul>(f4, g4);
        h9 += M<TMul>(f4, g5);
        h0 += M<TMul>(f4, g6_19);
        h1 += M<TMul>(f4, g7_19);
        h2 += M<TMul>(f4, g8_19);
        h3 += M<TMul>(f4, g9_19);
        Vector256<ulong> f5 = Left(c.L5);
        Vector256<ulong> f5_2 = f5 << 1;
        h5 += M<TMul>(f5, g0);
        h6 += M<TMul>(f5_2, g1);
        h7 += M<TMul>(f5, g2);
        h8 += M<TMul>(f5_2, g3);
        h9 += M<TMul>(f5, g4);
        h0 += M<TMul>(f5_2, g5_19);
        h1 += M<TMul>(f5, g6_19);
        h2 += M<TMul>(f5_2, g7_19);
        h3 += M<TMul>(f5, g8_19);
        h4 += M<TMul>(f5_2, g9_19);
        Vector256<ulong> f6 = Left(c.L6);
        h6 += M<TMul>(f6, g0);
        h7 += M<TMul>(f6, g1);
        h8 += M<TMul>(f6, g2);
        h9 += M<TMul>(f6, g3);
        h0 += M<TMul>(f6, g4_19);
        h1 += M<TMul>(f6, g5_19);
        h2 += M<TMul>(f6, g6_19);
        h3 += M<TMul>(f6, g7_19);
        h4 += M<TMul>(f6, g8_19);
        h5 += M<TMul>(f6, g9_19);
        Vector256<ulong> f7 = Left(c.L7);
        Vector256<ulong> f7_2 = f7 << 1;
        h7 += M<TMul>(f7, g0);
        h8 += M<TMul>(f7_2, g1);
        h9 += M<TMul>(f7, g2);
        h0 += M<TMul>(f7_2, g3_19);
        h1 += M<TMul>(f7, g4_19);
        h2 += M<TMul>(f7_2, g5_19);
        h3 += M<TMul>(f7, g6_19);
        h4 += M<TMul>(f7_2, g7_19);
        h5 += M<TMul>(f7, g8_19);
        h6 += M<TMul>(f7_2, g9_19);
        Vector256<ulong> f8 = Left(c.L8);
        h8 += M<TMul>(f8, g0);
        h9 += M<TMul>(f8, g1);
        h0 += M<TMul>(f8, g2_19);
        h1 += M<TMul>(f8, g3_19);
        h2 += M<TMul>(f8, g4_19);
        h3 += M<TMul>(f8, g5_19);
        h4 += M<TMul>(f8, g6_19);
        h5 += M<TMul>(f8, g7_19);
        h6 += M<TMul>(f8, g8_19);
        h7 += M<TMul>(f8, g9_19);
        Vector256<ulong> f9 = Left(c.L9);
        Vector256<ulong> f9_2 = f9 << 1;
        h9 += M<TMul>(f9, g0);
        h0 += M<TMul>(f9_2, g1_19);
        h1 += M<TMul>(f9, g2_19);
        h2 += M<TMul>(f9_2, g3_19);
        h3 += M<TMul>(f9, g4_19);
        h4 += M<TMul>(f9_2, g5_19);
        h5 += M<TMul>(f9, g6_19);
        h6 += M<TMul>(f9_2, g7_19);
        h7 += M<TMul>(f9, g8_19);
        h8 += M<TMul>(f9_2, g9_19);
        CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Left(Vector256<ulong> v) => Vector256.Shuffle(v, Vector256.Create(0UL, 1, 2, 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Right(Vector256<ulong> v) => Vector256.Shuffle(v, Vector256.Create(3UL, 2, 3, 1));

    /// <summary>Product columns (below 2^63) to limbs below 2^26 + 2^17: the carry schedule of <see cref="FieldElement8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CarryProduct(Vector256<ulong> h0, Vector256<ulong> h1, Vector256<ulong> h2, Vector256<ulong> h3,
        Vector256<ulong> h4, Vector256<ulong> h5, Vector256<ulong> h6, Vector256<ulong> h7, Vector256<ulong> h8, Vector256<ulong> h9,
        out FieldElement4 r)
    {
        Vector256<ulong> m26 = Vector256.Create(Mask26), m25 = Vector256.Create(Mask25);
        h1 += h0 >> 26; h0 &= m26;
        h5 += h4 >> 26; h4 &= m26;
        h2 += h1 >> 25; h1 &= m25;
        h6 += h5 >> 25; h5 &= m25;
        h3 += h2 >> 26; h2 &= m26;
        h7 += h6 >> 26; h6 &= m26;
        h4 += h3 >> 25; h3 &= m25;
        h8 += h7 >> 25; h7 &= m25;
        h5 += h4 >> 26; h4 &= m26;
        h9 += h8 >> 26; h8 &= m26;
        h0 += Times19(h9 >> 25); h9 &= m25;
        h1 += h0 >> 26; h0 &= m26;
        r.L0 = h0; r.L1 = h1; r.L2 = h2; r.L3 = h3; r.L4 = h4; r.L5 = h5; r.L6 = h6; r.L7 = h7; r.L8 = h8; r.L9 = h9;
    }
}
