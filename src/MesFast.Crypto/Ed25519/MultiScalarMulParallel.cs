using System.Buffers;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

// Every local is written before it is read; the table build keeps several 1.3 KB eight-lane points on the stack.
/// <summary>
/// <see cref="MultiScalarMul.Straus"/> with every point operation in the parallel-formulas layout of
/// <see cref="EdwardsPoint4"/>: same NAFs, same tables (converted to lanes), same sequence of doublings and
/// additions, so the result has the same coordinates (mod p) as the scalar one.
/// </summary>
[SkipLocalsInit]
internal static class MultiScalarMulParallel
{
    private const int PointTableSize = 1 << (MultiScalarMul.PointWidth - 2);

    /// <summary>True when the four-lane arithmetic runs in hardware (AVX2); otherwise use the scalar Straus.</summary>
    public static bool IsAccelerated => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;

    /// <summary>B's odd multiples (<see cref="BasepointTable.OddMultiples"/>) in cached lane layout.</summary>
    private static readonly FieldElement4[] BaseTable = BuildBaseTable();

    private static FieldElement4[] BuildBaseTable()
    {
        AffineNielsPoint[] source = BasepointTable.OddMultiples;
        var table = new FieldElement4[source.Length];
        for (int i = 0; i < source.Length; i++) table[i] = EdwardsPoint4.Cached(source[i]);
        return table;
    }

    /// <summary>
    /// <see cref="MultiScalarMul.OddMultiplesMany"/> laid out as cached lanes: groups of eight points are built on
    /// <see cref="EdwardsPoint8"/> (same formulas) and transposed straight into <paramref name="tables"/>; the rest go
    /// through the scalar code and <paramref name="scratch"/> (8 entries).
    /// </summary>
    internal static void OddMultiples<TMul>(ReadOnlySpan<EdwardsPoint> points, Span<FieldElement4> tables, Span<ProjectiveNielsPoint> scratch, bool useLanes)
        where TMul : struct, ILaneMultiplier
    {
        const int lanes = FieldElement8.Lanes;
        int n = points.Length;
        int start = 0;
        if (useLanes)
        {
            FieldElement8 d2 = FieldElement8.Broadcast(FieldElement.D2);
            for (; start + lanes <= n; start += lanes)
            {
                Span<FieldElement4> group = tables.Slice(start * PointTableSize, lanes * PointTableSize);
                EdwardsPoint8 p = EdwardsPoint8.Load(points.Slice(start, lanes));
                ProjectiveNielsPoint8 p2 = p.Double<TMul>().ToProjectiveNiels<TMul>(d2);
                p.StoreCachedLanes<TMul>(d2, group, PointTableSize, 0);
                // Two buffers used in turn (AddTo's output must not be its input): no struct copies per entry.
                Unsafe.SkipInit(out EdwardsPoint8 other);
                ref EdwardsPoint8 current = ref p;
                ref EdwardsPoint8 next = ref other;
                for (int i = 1; i < PointTableSize; i++)
                {
                    current.AddTo<TMul>(p2, out next);
                    next.StoreCachedLanes<TMul>(d2, group, PointTableSize, i);
                    ref EdwardsPoint8 done = ref current;
                    current = ref next;
                    next = ref done;
                }
            }
        }
        for (int j = start; j < n; j++)
        {
            MultiScalarMul.OddMultiples(points[j], scratch);
            for (int i = 0; i < PointTableSize; i++) tables[(j * PointTableSize) + i] = EdwardsPoint4.Cached(scratch[i]);
        }
    }

    public static EdwardsPoint Straus(ReadOnlySpan<EdwardsPoint> points, ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> b)
        => Straus<Avx512Multiplier>(points, scalars, b);

    /// <summary>Σ [scalars_j]P_j + [b]B, scalars 32 bytes little-endian below 2^255; <typeparamref name="TMul"/> chosen by tests.</summary>
    internal static EdwardsPoint Straus<TMul>(ReadOnlySpan<EdwardsPoint> points, ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> b)
        where TMul : struct, ILaneMultiplier
    {
        int n = points.Length;
        sbyte[] nafs = ArrayPool<sbyte>.Shared.Rent(n * 256);
        ProjectiveNielsPoint[] tables = ArrayPool<ProjectiveNielsPoint>.Shared.Rent(PointTableSize);
        FieldElement4[] lanes = ArrayPool<FieldElement4>.Shared.Rent(n * PointTableSize);
        try
        {
            Span<sbyte> bNaf = stackalloc sbyte[256];
            int top = NonAdjacentForm.Compute(b, BasepointTable.Width, bNaf);
            for (int j = 0; j < n; j++)
            {
                top = Math.Max(top, NonAdjacentForm.Compute(scalars.Slice(j * 32, 32), MultiScalarMul.PointWidth, nafs.AsSpan(j * 256, 256)));
            }
            OddMultiples<TMul>(points, lanes.AsSpan(0, n * PointTableSize), tables.AsSpan(0, PointTableSize), FieldElement8.IsAccelerated);
            FieldElement4[] bTable = BaseTable;

            FieldElement4 e = EdwardsPoint4.Identity;
            for (int i = top - 1; i >= 0; i--)
            {
                EdwardsPoint4.Double<TMul>(e, out FieldElement4 c);
                int db = bNaf[i];
                if (db != 0) EdwardsPoint4.AddCached<TMul>(ref c, bTable[(db > 0 ? db : -db) >> 1], db < 0);
                for (int j = 0; j < n; j++)
                {
                    int d = nafs[(j * 256) + i];
                    if (d != 0) EdwardsPoint4.AddCached<TMul>(ref c, lanes[(j * PointTableSize) + ((d > 0 ? d : -d) >> 1)], d < 0);
                }
                EdwardsPoint4.ToExtended<TMul>(c, out e);
            }
            // The scalar loop ends on a projective point and converts it with ProjectivePoint.ToExtended; doing the
            // same here makes all four coordinates equal (mod p) to the scalar result, not just the same point.
            return new ProjectivePoint { X = e.GetLane(0), Y = e.GetLane(1), Z = e.GetLane(2) }.ToExtended();
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<ProjectiveNielsPoint>.Shared.Return(tables);
            ArrayPool<FieldElement4>.Shared.Return(lanes);
        }
    }
}
