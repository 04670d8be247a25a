using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MesFast.Crypto;

// Locals are all written before use: skipping the zeroing of ~1.5 KB of stack per call matters at ~5,000 calls per MSM.
/// <summary>
/// Point steps in the "parallel formulas" layout (Hisil–Wong–Carter–Dawson 2008, as in curve25519-dalek's vector
/// backend): one point's four coordinates in the four lanes of a <see cref="FieldElement4"/>. An extended point is
/// (X, Y, Z, T); a completed point (X:Z, Y:T) uses the same lanes; a cached point is (Y+X, Y−X, 2dT, 2Z) — an affine
/// Niels point is (y+x, y−x, 2dxy, 2). The 2Z lane (instead of the scalar code's doubling of Z·Z2 after the product)
/// saves a per-lane doubling in every addition; the products are the same field values. The formulas are those of <see cref="EdwardsPoint"/>, <see cref="ProjectivePoint"/>
/// and <see cref="CompletedPoint"/>, so every lane holds a value congruent to the scalar code's: the four
/// multiplications of each scalar step become one lane multiplication.
/// </summary>
[SkipLocalsInit]
internal static class EdwardsPoint4
{
    private static readonly Vector256<ulong> None = Vector256<ulong>.Zero;
    private static readonly Vector256<ulong> All = Vector256<ulong>.AllBitsSet;

    // Doubling: squares of (X, Y, Z, X+Y) = (s0, s1, s2, s3), then (s3 − s1 − s0, s1 + s0, s1 − s0, 2s2 − s1 + s0) in
    // two linear steps (each lane takes at most two terms per step).
    private static readonly Vector256<uint> DoubleInLeft = FieldElement4.Lanes(0, 1, 2, 0);
    private static readonly Vector256<uint> DoubleInRight = FieldElement4.Lanes(1, 1, 1, 1);
    private static readonly Vector256<ulong> DoubleInKeep = FieldElement4.Mask(false, false, false, true);
    private static readonly Vector256<uint> DoubleOut1Left = FieldElement4.Lanes(3, 1, 1, 2);
    private static readonly Vector256<ulong> DoubleOut1Twice = FieldElement4.Mask(false, false, false, true);
    private static readonly Vector256<uint> DoubleOut1Right = FieldElement4.Lanes(1, 0, 0, 1);
    private static readonly Vector256<ulong> DoubleOut1Neg = FieldElement4.Mask(true, false, true, true);
    private static readonly Vector256<uint> Same = FieldElement4.Lanes(0, 1, 2, 3);
    private static readonly Vector256<uint> DoubleOut2Right = FieldElement4.Lanes(0, 0, 0, 0);
    private static readonly Vector256<ulong> DoubleOut2Keep = FieldElement4.Mask(true, false, false, true);
    private static readonly Vector256<ulong> DoubleOut2Neg = FieldElement4.Mask(true, false, false, false);

    // Addition of a cached point: a = (Y+X, Y−X, T, Z) times (Y2+X2, Y2−X2, 2dT2, 2Z2) = (pp, mm, tt, zz2), then
    // (pp − mm, pp + mm, zz2 + tt, zz2 − tt). Subtraction swaps Y+X and Y−X in a, which gives (mp, pm, tt, zz2), and
    // ends with (pm − mp, pm + mp, zz2 − tt, zz2 + tt): only the lane patterns differ, not the code.
    private static readonly Vector256<long> AddInLeft = FieldElement4.PairLanes(1, 1, 1, 0);
    private static readonly Vector256<long> AddInRight = FieldElement4.PairLanes(0, 0, 0, 0);
    private static readonly Vector256<ulong> AddInKeep = FieldElement4.Mask(true, true, false, false);
    private static readonly Vector256<ulong> AddInNeg = FieldElement4.Mask(false, true, false, false);
    private static readonly Vector256<ulong> SubInNeg = FieldElement4.Mask(true, false, false, false);
    private static readonly Vector256<long> AddOutLeft = FieldElement4.PairLanes(0, 0, 1, 1);
    private static readonly Vector256<long> AddOutRight = FieldElement4.PairLanes(1, 1, 0, 0);
    private static readonly Vector256<ulong> AddOutNeg = FieldElement4.Mask(true, false, false, true);
    private static readonly Vector256<long> SubOutLeft = FieldElement4.PairLanes(1, 0, 1, 1);
    private static readonly Vector256<long> SubOutRight = FieldElement4.PairLanes(0, 1, 0, 0);
    private static readonly Vector256<ulong> SubOutNeg = FieldElement4.Mask(true, false, true, false);

    public static FieldElement4 Identity => FieldElement4.FromLanes(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    public static FieldElement4 Cached(in ProjectiveNielsPoint q) => FieldElement4.FromLanes(q.YPlusX, q.YMinusX, q.T2d, FieldElement.Add(q.Z, q.Z));

    public static FieldElement4 Cached(in AffineNielsPoint q) => FieldElement4.FromLanes(q.YPlusX, q.YMinusX, q.XY2d, new FieldElement(2, 0, 0, 0, 0));

    /// <summary>Completed → extended (<see cref="CompletedPoint.ToExtended"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToExtended<TMul>(in FieldElement4 c, out FieldElement4 e) where TMul : struct, ILaneMultiplier
    {
        FieldElement4.MulToExtended<TMul>(c, out e);
    }

    /// <summary>Extended (X, Y, Z used) → completed [2]P (<see cref="ProjectivePoint.Double"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Double<TMul>(in FieldElement4 e, out FieldElement4 c) where TMul : struct, ILaneMultiplier
    {
        FieldElement4.Linear(e, DoubleInLeft, None, e, DoubleInRight, DoubleInKeep, None, out FieldElement4 v);
        FieldElement4.Mul<TMul>(v, v, out FieldElement4 s);
        FieldElement4.Linear(s, DoubleOut1Left, DoubleOut1Twice, s, DoubleOut1Right, All, DoubleOut1Neg, out FieldElement4 r);
        FieldElement4.Linear(r, Same, None, s, DoubleOut2Right, DoubleOut2Keep, DoubleOut2Neg, out c);
    }

    /// <summary>
    /// c ← c ± q for a completed point c and a cached point q: to extended, then <see cref="EdwardsPoint.Add(in EdwardsPoint, in ProjectiveNielsPoint)"/>
    /// or Sub (affine Niels points in cached layout give the affine formulas). One body for both signs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AddCached<TMul>(ref FieldElement4 c, in FieldElement4 q, bool subtract) where TMul : struct, ILaneMultiplier
    {
        ToExtended<TMul>(c, out FieldElement4 e);
        // a is left uncarried: it is only multiplied by q, whose limbs are carried.
        FieldElement4.PairLinear(e, AddInLeft, false, None, e, AddInRight, true, AddInKeep, subtract ? SubInNeg : AddInNeg, false, out FieldElement4 a);
        FieldElement4.Mul<TMul>(a, q, out FieldElement4 p);
        FieldElement4.PairLinear(p, subtract ? SubOutLeft : AddOutLeft, false, None, p, subtract ? SubOutRight : AddOutRight, false, All,
            subtract ? SubOutNeg : AddOutNeg, true, out c);
    }
}
