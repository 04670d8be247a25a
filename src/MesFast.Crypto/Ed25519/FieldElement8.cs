using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// Eight independent elements of GF(2^255 - 19), one per 64-bit lane, in radix 2^25.5 (ten limbs of 26, 25, 26, …
/// bits). Products are 32×32→64-bit lane multiplies (vpmuludq); .NET exposes no 52-bit IFMA, so this is the widest
/// exact multiply available. Used "vertically": the same operation sequence on eight different elements (e.g. the
/// square-root chains of eight point decompressions). Limbs stay below 2^27 between operations, which keeps every
/// product column below 2^63 and every multiplicand below 2^32.
/// Without AVX-512 the same code runs on <see cref="Vector512"/>'s software path (full 64-bit lane multiply of
/// values below 2^32: identical results).
/// Radix 2^25.5 pairs up exactly with radix 2^51 (limb 2k at bit 51k, limb 2k+1 at bit 51k + 26), which makes the
/// conversions to and from <see cref="FieldElement"/> a split/merge of each 51-bit limb.
/// </summary>
[SkipLocalsInit]
internal struct FieldElement8
{
    public Vector512<ulong> L0, L1, L2, L3, L4, L5, L6, L7, L8, L9;

    public const int Lanes = 8;

    /// <summary>True when the lane arithmetic runs in hardware (otherwise callers keep to the scalar field code).</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    private const ulong Mask26 = (1UL << 26) - 1;
    private const ulong Mask25 = (1UL << 25) - 1;

    /// <summary>Broadcasts <paramref name="a"/> (weakly reduced, limbs below 2^52) to every lane.</summary>
    public static FieldElement8 Broadcast(in FieldElement a)
    {
        FieldElement r = a.Reduced();
        return new FieldElement8
        {
            L0 = Vector512.Create(r.L0 & Mask26), L1 = Vector512.Create(r.L0 >> 26),
            L2 = Vector512.Create(r.L1 & Mask26), L3 = Vector512.Create(r.L1 >> 26),
            L4 = Vector512.Create(r.L2 & Mask26), L5 = Vector512.Create(r.L2 >> 26),
            L6 = Vector512.Create(r.L3 & Mask26), L7 = Vector512.Create(r.L3 >> 26),
            L8 = Vector512.Create(r.L4 & Mask26), L9 = Vector512.Create(r.L4 >> 26),
        };
    }

    /// <summary>Loads lane i from <paramref name="elements"/>[i] (8 elements, limbs below 2^52).</summary>
    public static FieldElement8 Load(ReadOnlySpan<FieldElement> elements)
    {
        if (elements.Length != Lanes) throw new ArgumentException("expected 8 elements", nameof(elements));
        Span<ulong> limbs = stackalloc ulong[10 * Lanes];
        for (int lane = 0; lane < Lanes; lane++)
        {
            FieldElement r = elements[lane].Reduced();
            limbs[lane] = r.L0 & Mask26; limbs[Lanes + lane] = r.L0 >> 26;
            limbs[(2 * Lanes) + lane] = r.L1 & Mask26; limbs[(3 * Lanes) + lane] = r.L1 >> 26;
            limbs[(4 * Lanes) + lane] = r.L2 & Mask26; limbs[(5 * Lanes) + lane] = r.L2 >> 26;
            limbs[(6 * Lanes) + lane] = r.L3 & Mask26; limbs[(7 * Lanes) + lane] = r.L3 >> 26;
            limbs[(8 * Lanes) + lane] = r.L4 & Mask26; limbs[(9 * Lanes) + lane] = r.L4 >> 26;
        }
        return new FieldElement8
        {
            L0 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(0, Lanes)),
            L1 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(Lanes, Lanes)),
            L2 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(2 * Lanes, Lanes)),
            L3 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(3 * Lanes, Lanes)),
            L4 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(4 * Lanes, Lanes)),
            L5 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(5 * Lanes, Lanes)),
            L6 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(6 * Lanes, Lanes)),
            L7 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(7 * Lanes, Lanes)),
            L8 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(8 * Lanes, Lanes)),
            L9 = Vector512.Create((ReadOnlySpan<ulong>)limbs.Slice(9 * Lanes, Lanes)),
        };
    }

    /// <summary>Writes lane i to <paramref name="elements"/>[i] as a weakly reduced <see cref="FieldElement"/>.</summary>
    public readonly void Store(Span<FieldElement> elements)
    {
        if (elements.Length != Lanes) throw new ArgumentException("expected 8 elements", nameof(elements));
        Span<ulong> limbs = stackalloc ulong[10 * Lanes];
        L0.CopyTo(limbs); L1.CopyTo(limbs.Slice(Lanes)); L2.CopyTo(limbs.Slice(2 * Lanes)); L3.CopyTo(limbs.Slice(3 * Lanes));
        L4.CopyTo(limbs.Slice(4 * Lanes)); L5.CopyTo(limbs.Slice(5 * Lanes)); L6.CopyTo(limbs.Slice(6 * Lanes));
        L7.CopyTo(limbs.Slice(7 * Lanes)); L8.CopyTo(limbs.Slice(8 * Lanes)); L9.CopyTo(limbs.Slice(9 * Lanes));
        for (int lane = 0; lane < Lanes; lane++)
        {
            // Limbs are below 2^27, so each merged 51-bit limb is below 2^53: a valid weakly reduced input.
            elements[lane] = new FieldElement(
                limbs[lane] + (limbs[Lanes + lane] << 26),
                limbs[(2 * Lanes) + lane] + (limbs[(3 * Lanes) + lane] << 26),
                limbs[(4 * Lanes) + lane] + (limbs[(5 * Lanes) + lane] << 26),
                limbs[(6 * Lanes) + lane] + (limbs[(7 * Lanes) + lane] << 26),
                limbs[(8 * Lanes) + lane] + (limbs[(9 * Lanes) + lane] << 26)).Reduced();
        }
    }

    /// <summary>Lane products of values below 2^32 as full 64-bit products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> M<TMul>(Vector512<ulong> a, Vector512<ulong> b) where TMul : struct, ILaneMultiplier
        => TMul.Multiply(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Times19(Vector512<ulong> a) => (a << 4) + (a << 1) + a;

    public static FieldElement8 Add(in FieldElement8 a, in FieldElement8 b) => Carry(
        a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4,
        a.L5 + b.L5, a.L6 + b.L6, a.L7 + b.L7, a.L8 + b.L8, a.L9 + b.L9);

    /// <summary>a - b computed as a + 2p - b (b's limbs are below 2p's: 2^27 - 38, 2^26 - 2, 2^27 - 2, …).</summary>
    public static FieldElement8 Sub(in FieldElement8 a, in FieldElement8 b)
    {
        Vector512<ulong> twoP0 = Vector512.Create((2 * Mask26) - 36);
        Vector512<ulong> twoPEven = Vector512.Create(2 * Mask26);
        Vector512<ulong> twoPOdd = Vector512.Create(2 * Mask25);
        return Carry(
            a.L0 + twoP0 - b.L0, a.L1 + twoPOdd - b.L1, a.L2 + twoPEven - b.L2, a.L3 + twoPOdd - b.L3, a.L4 + twoPEven - b.L4,
            a.L5 + twoPOdd - b.L5, a.L6 + twoPEven - b.L6, a.L7 + twoPOdd - b.L7, a.L8 + twoPEven - b.L8, a.L9 + twoPOdd - b.L9);
    }

    /// <summary>One parallel carry round for sums of a few reduced elements (limbs end below 2^26 + 2^5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement8 Carry(Vector512<ulong> h0, Vector512<ulong> h1, Vector512<ulong> h2, Vector512<ulong> h3,
        Vector512<ulong> h4, Vector512<ulong> h5, Vector512<ulong> h6, Vector512<ulong> h7, Vector512<ulong> h8, Vector512<ulong> h9)
    {
        Vector512<ulong> m26 = Vector512.Create(Mask26), m25 = Vector512.Create(Mask25);
        return new FieldElement8
        {
            L0 = (h0 & m26) + Times19(h9 >> 25),
            L1 = (h1 & m25) + (h0 >> 26),
            L2 = (h2 & m26) + (h1 >> 25),
            L3 = (h3 & m25) + (h2 >> 26),
            L4 = (h4 & m26) + (h3 >> 25),
            L5 = (h5 & m25) + (h4 >> 26),
            L6 = (h6 & m26) + (h5 >> 25),
            L7 = (h7 & m25) + (h6 >> 26),
            L8 = (h8 & m26) + (h7 >> 25),
            L9 = (h9 & m25) + (h8 >> 26),
        };
    }

    /// <summary>
    /// Carries product columns (each below 2^63) down to limbs below 2^26 + 2^17: two interleaved chains
    /// (0→1→2→3→4 and 4→5→…→9→0), then one more step from limb 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement8 CarryProduct(Vector512<ulong> h0, Vector512<ulong> h1, Vector512<ulong> h2, Vector512<ulong> h3,
        Vector512<ulong> h4, Vector512<ulong> h5, Vector512<ulong> h6, Vector512<ulong> h7, Vector512<ulong> h8, Vector512<ulong> h9)
    {
        Vector512<ulong> m26 = Vector512.Create(Mask26), m25 = Vector512.Create(Mask25);
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
        // h9 >> 25 is below 2^38, times 19 below 2^43: h0 stays far below 2^64 and its carry below 2^18.
        h0 += Times19(h9 >> 25); h9 &= m25;
        h1 += h0 >> 26; h0 &= m26;
        return new FieldElement8 { L0 = h0, L1 = h1, L2 = h2, L3 = h3, L4 = h4, L5 = h5, L6 = h6, L7 = h7, L8 = h8, L9 = h9 };
    }

    public static FieldElement8 Mul<TMul>(in FieldElement8 a, in FieldElement8 b) where TMul : struct, ILaneMultiplier
    {
        // Row by row (one limb of a at a time): only b's limbs, their ×19 copies, the ten columns and one limb of a
        // are live — 31 vectors, within AVX-512's 32 registers (column by column needed 34 and spilled).
        // Odd limbs carry a factor 2 when both indices are odd (2^25.5 radix); wrapped columns carry 19 (2^255 ≡ 19).
        Vector512<ulong> g0 = b.L0, g1 = b.L1, g2 = b.L2, g3 = b.L3, g4 = b.L4, g5 = b.L5, g6 = b.L6, g7 = b.L7, g8 = b.L8, g9 = b.L9;
        Vector512<ulong> g1_19 = Times19(g1), g2_19 = Times19(g2), g3_19 = Times19(g3), g4_19 = Times19(g4), g5_19 = Times19(g5);
        Vector512<ulong> g6_19 = Times19(g6), g7_19 = Times19(g7), g8_19 = Times19(g8), g9_19 = Times19(g9);
        Vector512<ulong> f0 = a.L0;
        Vector512<ulong> h0 = M<TMul>(f0, g0);
        Vector512<ulong> h1 = M<TMul>(f0, g1);
        Vector512<ulong> h2 = M<TMul>(f0, g2);
        Vector512<ulong> h3 = M<TMul>(f0, g3);
        Vector512<ulong> h4 = M<TMul>(f0, g4);
        Vector512<ulong> h5 = M<TMul>(f0, g5);
        Vector512<ulong> h6 = M<TMul>(f0, g6);
        Vector512<ulong> h7 = M<TMul>(f0, g7);
        Vector512<ulong> h8 = M<TMul>(f0, g8);
        Vector512<ulong> h9 = M<TMul>(f0, g9);
        Vector512<ulong> f1 = a.L1;
        Vector512<ulong> f1_2 = f1 << 1;
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
        Vector512<ulong> f2 = a.L2;
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
        Vector512<ulong> f3 = a.L3;
        Vector512<ulong> f3_2 = f3 << 1;
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
        Vector512<ulong> f4 = a.L4;
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
        Vector512<ulong> f5 = a.L5;
        Vector512<ulong> f5_2 = f5 << 1;
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
        Vector512<ulong> f6 = a.L6;
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
        Vector512<ulong> f7 = a.L7;
        Vector512<ulong> f7_2 = f7 << 1;
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
        Vector512<ulong> f8 = a.L8;
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
        Vector512<ulong> f9 = a.L9;
        Vector512<ulong> f9_2 = f9 << 1;
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
        return CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    public static FieldElement8 Square<TMul>(in FieldElement8 a) where TMul : struct, ILaneMultiplier => SquareTimes<TMul>(a, 1);

    /// <summary>a^(2^times), times ≥ 1, repeated on locals.</summary>
    public static FieldElement8 SquareTimes<TMul>(in FieldElement8 a, int times) where TMul : struct, ILaneMultiplier
    {
        FieldElement8 r = a;
        for (int i = 0; i < times; i++)
        {
            Vector512<ulong> f0 = r.L0, f1 = r.L1, f2 = r.L2, f3 = r.L3, f4 = r.L4, f5 = r.L5, f6 = r.L6, f7 = r.L7, f8 = r.L8, f9 = r.L9;
            Vector512<ulong> f0_2 = f0 << 1;
            Vector512<ulong> f1_2 = f1 << 1;
            Vector512<ulong> f1_4 = f1 << 2;
            Vector512<ulong> f2_2 = f2 << 1;
            Vector512<ulong> f3_2 = f3 << 1;
            Vector512<ulong> f3_4 = f3 << 2;
            Vector512<ulong> f4_2 = f4 << 1;
            Vector512<ulong> f5_2 = f5 << 1;
            Vector512<ulong> f5_4 = f5 << 2;
            Vector512<ulong> f5_19 = Times19(f5);
            Vector512<ulong> f6_2 = f6 << 1;
            Vector512<ulong> f6_19 = Times19(f6);
            Vector512<ulong> f7_2 = f7 << 1;
            Vector512<ulong> f7_4 = f7 << 2;
            Vector512<ulong> f7_19 = Times19(f7);
            Vector512<ulong> f8_2 = f8 << 1;
            Vector512<ulong> f8_19 = Times19(f8);
            Vector512<ulong> f9_2 = f9 << 1;
            Vector512<ulong> f9_19 = Times19(f9);
            Vector512<ulong> h0 = M<TMul>(f0, f0) + M<TMul>(f1_4, f9_19) + M<TMul>(f2_2, f8_19) + M<TMul>(f3_4, f7_19) + M<TMul>(f4_2, f6_19) + M<TMul>(f5_2, f5_19);
            Vector512<ulong> h1 = M<TMul>(f0_2, f1) + M<TMul>(f2_2, f9_19) + M<TMul>(f3_2, f8_19) + M<TMul>(f4_2, f7_19) + M<TMul>(f5_2, f6_19);
            Vector512<ulong> h2 = M<TMul>(f0_2, f2) + M<TMul>(f1_2, f1) + M<TMul>(f3_4, f9_19) + M<TMul>(f4_2, f8_19) + M<TMul>(f5_4, f7_19) + M<TMul>(f6, f6_19);
            Vector512<ulong> h3 = M<TMul>(f0_2, f3) + M<TMul>(f1_2, f2) + M<TMul>(f4_2, f9_19) + M<TMul>(f5_2, f8_19) + M<TMul>(f6_2, f7_19);
            Vector512<ulong> h4 = M<TMul>(f0_2, f4) + M<TMul>(f1_4, f3) + M<TMul>(f2, f2) + M<TMul>(f5_4, f9_19) + M<TMul>(f6_2, f8_19) + M<TMul>(f7_2, f7_19);
            Vector512<ulong> h5 = M<TMul>(f0_2, f5) + M<TMul>(f1_2, f4) + M<TMul>(f2_2, f3) + M<TMul>(f6_2, f9_19) + M<TMul>(f7_2, f8_19);
            Vector512<ulong> h6 = M<TMul>(f0_2, f6) + M<TMul>(f1_4, f5) + M<TMul>(f2_2, f4) + M<TMul>(f3_2, f3) + M<TMul>(f7_4, f9_19) + M<TMul>(f8, f8_19);
            Vector512<ulong> h7 = M<TMul>(f0_2, f7) + M<TMul>(f1_2, f6) + M<TMul>(f2_2, f5) + M<TMul>(f3_2, f4) + M<TMul>(f8_2, f9_19);
            Vector512<ulong> h8 = M<TMul>(f0_2, f8) + M<TMul>(f1_4, f7) + M<TMul>(f2_2, f6) + M<TMul>(f3_4, f5) + M<TMul>(f4, f4) + M<TMul>(f9_2, f9_19);
            Vector512<ulong> h9 = M<TMul>(f0_2, f9) + M<TMul>(f1_2, f8) + M<TMul>(f2_2, f7) + M<TMul>(f3_2, f6) + M<TMul>(f4_2, f5);
            r = CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
        }
        return r;
    }

    /// <summary>Returns (a^(2^250 - 1), a^11), the same addition chain as <see cref="FieldElement"/>.</summary>
    private static FieldElement8 Pow22501<TMul>(in FieldElement8 a, out FieldElement8 a11) where TMul : struct, ILaneMultiplier
    {
        FieldElement8 t0 = Square<TMul>(a);
        FieldElement8 t1 = SquareTimes<TMul>(t0, 2);
        FieldElement8 t2 = Mul<TMul>(a, t1);
        a11 = Mul<TMul>(t0, t2);
        FieldElement8 t4 = Square<TMul>(a11);
        FieldElement8 t5 = Mul<TMul>(t2, t4);
        FieldElement8 t7 = Mul<TMul>(SquareTimes<TMul>(t5, 5), t5);
        FieldElement8 t9 = Mul<TMul>(SquareTimes<TMul>(t7, 10), t7);
        FieldElement8 t11 = Mul<TMul>(SquareTimes<TMul>(t9, 20), t9);
        FieldElement8 t13 = Mul<TMul>(SquareTimes<TMul>(t11, 10), t7);
        FieldElement8 t15 = Mul<TMul>(SquareTimes<TMul>(t13, 50), t13);
        FieldElement8 t17 = Mul<TMul>(SquareTimes<TMul>(t15, 100), t15);
        return Mul<TMul>(SquareTimes<TMul>(t17, 50), t13);
    }

    /// <summary>a^((p-5)/8) = a^(2^252 - 3).</summary>
    public static FieldElement8 PowP58<TMul>(in FieldElement8 a) where TMul : struct, ILaneMultiplier
    {
        FieldElement8 t19 = Pow22501<TMul>(a, out _);
        return Mul<TMul>(SquareTimes<TMul>(t19, 2), a);
    }
}

/// <summary>How a <see cref="FieldElement8"/> multiplies lanes; a type parameter so each choice is compiled separately.</summary>
internal interface ILaneMultiplier
{
    /// <summary>a·b per 64-bit lane, for lane values below 2^32.</summary>
    static abstract Vector512<ulong> Multiply(Vector512<ulong> a, Vector512<ulong> b);

    /// <summary>The same for four lanes (<see cref="FieldElement4"/>).</summary>
    static abstract Vector256<ulong> Multiply(Vector256<ulong> a, Vector256<ulong> b);
}

/// <summary>vpmuludq (32×32→64) where AVX-512F (eight lanes) or AVX2 (four lanes) exists, otherwise the portable product.</summary>
internal struct Avx512Multiplier : ILaneMultiplier
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Multiply(Vector512<ulong> a, Vector512<ulong> b)
        => Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b;

    /// <summary>vpmuludq on 256-bit vectors (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Multiply(Vector256<ulong> a, Vector256<ulong> b)
        => Avx2.IsSupported ? Avx2.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b;
}

/// <summary>The portable 64-bit lane product: equal to the 32×32→64 product for lane values below 2^32.</summary>
internal struct PortableMultiplier : ILaneMultiplier
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Multiply(Vector512<ulong> a, Vector512<ulong> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Multiply(Vector256<ulong> a, Vector256<ulong> b) => a * b;
}
