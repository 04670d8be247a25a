using System.Buffers;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>Variable-time (public inputs only) scalar multiplications used by verification.</summary>
internal static class MultiScalarMul
{
    /// <summary>NAF width for arbitrary points (2^(w-2) = 8 odd multiples per point).</summary>
    public const int PointWidth = 5;
    private const int PointTableSize = 1 << (PointWidth - 2);

    /// <summary>Fills <paramref name="table"/> with P, 3P, 5P, ..., 15P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OddMultiples(in EdwardsPoint p, Span<ProjectiveNielsPoint> table)
    {
        ProjectiveNielsPoint p2 = p.Double().ToProjectiveNiels();
        EdwardsPoint current = p;
        table[0] = current.ToProjectiveNiels();
        for (int i = 1; i < PointTableSize; i++)
        {
            current = EdwardsPoint.Add(current, p2).ToExtended();
            table[i] = current.ToProjectiveNiels();
        }
    }

    /// <summary>
    /// <see cref="OddMultiples"/> of every point: tables[j·8 ..] holds point j's table. Groups of eight points are
    /// built on <see cref="EdwardsPoint8"/> lanes where the vector hardware is there (same field values).
    /// </summary>
    public static void OddMultiplesMany(ReadOnlySpan<EdwardsPoint> points, Span<ProjectiveNielsPoint> tables)
        => OddMultiplesMany<Avx512Multiplier>(points, tables, FieldElement8.IsAccelerated);

    internal static void OddMultiplesMany<TMul>(ReadOnlySpan<EdwardsPoint> points, Span<ProjectiveNielsPoint> tables, bool useLanes)
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
                Span<ProjectiveNielsPoint> group = tables.Slice(start * PointTableSize, lanes * PointTableSize);
                EdwardsPoint8 p = EdwardsPoint8.Load(points.Slice(start, lanes));
                ProjectiveNielsPoint8 p2 = p.Double<TMul>().ToProjectiveNiels<TMul>(d2);
                EdwardsPoint8 current = p;
                current.ToProjectiveNiels<TMul>(d2).Store(group, PointTableSize, 0);
                for (int i = 1; i < PointTableSize; i++)
                {
                    current = current.Add<TMul>(p2);
                    current.ToProjectiveNiels<TMul>(d2).Store(group, PointTableSize, i);
                }
            }
        }
        for (int j = start; j < n; j++) OddMultiples(points[j], tables.Slice(j * PointTableSize, PointTableSize));
    }

    // Not inlined on purpose: one compact body per addition kind keeps the callers' loops small and lets the
    // JIT inline the field arithmetic here (measured faster than inlining Add and Sub into every loop).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CompletedPoint AddDigit(in CompletedPoint t, int digit, ReadOnlySpan<ProjectiveNielsPoint> table)
    {
        EdwardsPoint e = t.ToExtended();
        return digit > 0 ? EdwardsPoint.Add(e, table[digit >> 1]) : EdwardsPoint.Sub(e, table[(-digit) >> 1]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CompletedPoint AddBaseDigit(in CompletedPoint t, int digit, AffineNielsPoint[] table)
    {
        EdwardsPoint e = t.ToExtended();
        return digit > 0 ? EdwardsPoint.Add(e, table[digit >> 1]) : EdwardsPoint.Sub(e, table[(-digit) >> 1]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CompletedPoint DoubleStep(in ProjectivePoint r) => r.Double();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ProjectivePoint ToProjectiveStep(in CompletedPoint t) => t.ToProjective();

    /// <summary>[a]P + [b]B for scalars a, b &lt; 2^255 (32 bytes little-endian each).</summary>
    public static EdwardsPoint DoubleBase(ReadOnlySpan<byte> a, in EdwardsPoint p, ReadOnlySpan<byte> b)
    {
        Span<sbyte> aNaf = stackalloc sbyte[256];
        Span<sbyte> bNaf = stackalloc sbyte[256];
        int top = Math.Max(NonAdjacentForm.Compute(a, PointWidth, aNaf), NonAdjacentForm.Compute(b, BasepointTable.Width, bNaf));
        Span<ProjectiveNielsPoint> table = stackalloc ProjectiveNielsPoint[PointTableSize];
        OddMultiples(p, table);
        AffineNielsPoint[] bTable = BasepointTable.OddMultiples;

        ProjectivePoint r = ProjectivePoint.Identity;
        for (int i = top - 1; i >= 0; i--)
        {
            CompletedPoint t = DoubleStep(r);
            int da = aNaf[i];
            if (da != 0) t = AddDigit(t, da, table);
            int db = bNaf[i];
            if (db != 0) t = AddBaseDigit(t, db, bTable);
            r = ToProjectiveStep(t);
        }
        return r.ToExtended();
    }

    /// <summary>
    /// Straus' interleaved method: Σ [scalars_j]P_j + [b]B with width-5 NAFs for the points and the width-8
    /// static table for B. Scalars are 32 bytes each (little-endian, &lt; 2^255), b likewise.
    /// </summary>
    public static EdwardsPoint Straus(ReadOnlySpan<EdwardsPoint> points, ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> b)
    {
        int n = points.Length;
        sbyte[] nafs = ArrayPool<sbyte>.Shared.Rent(n * 256);
        ProjectiveNielsPoint[] tables = ArrayPool<ProjectiveNielsPoint>.Shared.Rent(n * PointTableSize);
        try
        {
            Span<sbyte> bNaf = stackalloc sbyte[256];
            int top = NonAdjacentForm.Compute(b, BasepointTable.Width, bNaf);
            for (int j = 0; j < n; j++)
            {
                top = Math.Max(top, NonAdjacentForm.Compute(scalars.Slice(j * 32, 32), PointWidth, nafs.AsSpan(j * 256, 256)));
            }
            OddMultiplesMany(points, tables.AsSpan(0, n * PointTableSize));
            AffineNielsPoint[] bTable = BasepointTable.OddMultiples;
            ProjectivePoint r = ProjectivePoint.Identity;
            for (int i = top - 1; i >= 0; i--)
            {
                CompletedPoint t = DoubleStep(r);
                int db = bNaf[i];
                if (db != 0) t = AddBaseDigit(t, db, bTable);
                for (int j = 0; j < n; j++)
                {
                    int d = nafs[j * 256 + i];
                    if (d != 0) t = AddDigit(t, d, tables.AsSpan(j * PointTableSize, PointTableSize));
                }
                r = ToProjectiveStep(t);
            }
            return r.ToExtended();
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<ProjectiveNielsPoint>.Shared.Return(tables);
        }
    }
}
