using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// Eight independent points in extended coordinates, one per lane of <see cref="FieldElement8"/>. Used where eight
/// points go through the same formula sequence, e.g. the tables of odd multiples of a batch's A_i and R_i. The
/// formulas are those of <see cref="EdwardsPoint"/>, so every lane yields the same field values as the scalar code.
/// </summary>
[SkipLocalsInit]
internal struct EdwardsPoint8
{
    public FieldElement8 X, Y, Z, T;

    public static EdwardsPoint8 Load(ReadOnlySpan<EdwardsPoint> points)
    {
        const int lanes = FieldElement8.Lanes;
        Span<FieldElement> x = stackalloc FieldElement[lanes];
        Span<FieldElement> y = stackalloc FieldElement[lanes];
        Span<FieldElement> z = stackalloc FieldElement[lanes];
        Span<FieldElement> t = stackalloc FieldElement[lanes];
        for (int i = 0; i < lanes; i++)
        {
            x[i] = points[i].X;
            y[i] = points[i].Y;
            z[i] = points[i].Z;
            t[i] = points[i].T;
        }
        return new EdwardsPoint8 { X = FieldElement8.Load(x), Y = FieldElement8.Load(y), Z = FieldElement8.Load(z), T = FieldElement8.Load(t) };
    }

    /// <summary>[2]P (projective doubling, then back to extended coordinates).</summary>
    public readonly EdwardsPoint8 Double<TMul>() where TMul : struct, ILaneMultiplier
    {
        FieldElement8 xx = FieldElement8.Square<TMul>(X);
        FieldElement8 yy = FieldElement8.Square<TMul>(Y);
        FieldElement8 z2 = FieldElement8.Square<TMul>(Z);
        FieldElement8 zz2 = FieldElement8.Add(z2, z2);
        FieldElement8 xPlusYSq = FieldElement8.Square<TMul>(FieldElement8.Add(X, Y));
        FieldElement8 yyPlusXx = FieldElement8.Add(yy, xx);
        FieldElement8 yyMinusXx = FieldElement8.Sub(yy, xx);
        // Completed point (cx : cz, cy : ct) → extended.
        FieldElement8 cx = FieldElement8.Sub(xPlusYSq, yyPlusXx);
        FieldElement8 ct = FieldElement8.Sub(zz2, yyMinusXx);
        return FromCompleted<TMul>(cx, yyPlusXx, yyMinusXx, ct);
    }

    /// <summary>P + Q with Q in projective Niels form.</summary>
    public readonly EdwardsPoint8 Add<TMul>(in ProjectiveNielsPoint8 q) where TMul : struct, ILaneMultiplier
    {
        FieldElement8 pp = FieldElement8.Mul<TMul>(FieldElement8.Add(Y, X), q.YPlusX);
        FieldElement8 mm = FieldElement8.Mul<TMul>(FieldElement8.Sub(Y, X), q.YMinusX);
        FieldElement8 tt2d = FieldElement8.Mul<TMul>(T, q.T2d);
        FieldElement8 zz = FieldElement8.Mul<TMul>(Z, q.Z);
        FieldElement8 zz2 = FieldElement8.Add(zz, zz);
        return FromCompleted<TMul>(FieldElement8.Sub(pp, mm), FieldElement8.Add(pp, mm), FieldElement8.Add(zz2, tt2d), FieldElement8.Sub(zz2, tt2d));
    }

    /// <summary>
    /// <see cref="Add{TMul}"/> written into <paramref name="r"/> (which must not be this point): no 1.3 KB temporary to
    /// zero and copy per call, which cost the table build about as much as its multiplications.
    /// </summary>
    public readonly void AddTo<TMul>(in ProjectiveNielsPoint8 q, out EdwardsPoint8 r) where TMul : struct, ILaneMultiplier
    {
        FieldElement8 pp = FieldElement8.Mul<TMul>(FieldElement8.Add(Y, X), q.YPlusX);
        FieldElement8 mm = FieldElement8.Mul<TMul>(FieldElement8.Sub(Y, X), q.YMinusX);
        FieldElement8 tt2d = FieldElement8.Mul<TMul>(T, q.T2d);
        FieldElement8 zz = FieldElement8.Mul<TMul>(Z, q.Z);
        FieldElement8 zz2 = FieldElement8.Add(zz, zz);
        FieldElement8 x = FieldElement8.Sub(pp, mm), y = FieldElement8.Add(pp, mm);
        FieldElement8 z = FieldElement8.Add(zz2, tt2d), t = FieldElement8.Sub(zz2, tt2d);
        Unsafe.SkipInit(out r);
        r.X = FieldElement8.Mul<TMul>(x, t);
        r.Y = FieldElement8.Mul<TMul>(y, z);
        r.Z = FieldElement8.Mul<TMul>(z, t);
        r.T = FieldElement8.Mul<TMul>(x, y);
    }

    private static EdwardsPoint8 FromCompleted<TMul>(in FieldElement8 x, in FieldElement8 y, in FieldElement8 z, in FieldElement8 t)
        where TMul : struct, ILaneMultiplier => new()
        {
            X = FieldElement8.Mul<TMul>(x, t),
            Y = FieldElement8.Mul<TMul>(y, z),
            Z = FieldElement8.Mul<TMul>(z, t),
            T = FieldElement8.Mul<TMul>(x, y),
        };

    /// <summary>
    /// Writes lane i's cached form (Y+X, Y−X, 2dT, 2Z) — the layout of <see cref="EdwardsPoint4"/> — to
    /// <paramref name="output"/>[i · stride + offset], without building a <see cref="ProjectiveNielsPoint8"/>.
    /// </summary>
    public readonly void StoreCachedLanes<TMul>(in FieldElement8 d2, Span<FieldElement4> output, int stride, int offset)
        where TMul : struct, ILaneMultiplier
    {
        FieldElement8 yPlusX = FieldElement8.Add(Y, X);
        FieldElement8 yMinusX = FieldElement8.Sub(Y, X);
        FieldElement8 t2d = FieldElement8.Mul<TMul>(T, d2);
        FieldElement8 z2 = FieldElement8.Add(Z, Z);
        FieldElement4.Transpose(yPlusX, yMinusX, t2d, z2, output, stride, offset);
    }

    public readonly ProjectiveNielsPoint8 ToProjectiveNiels<TMul>(in FieldElement8 d2) where TMul : struct, ILaneMultiplier => new()
    {
        YPlusX = FieldElement8.Add(Y, X),
        YMinusX = FieldElement8.Sub(Y, X),
        Z = Z,
        T2d = FieldElement8.Mul<TMul>(T, d2),
    };
}

/// <summary>Eight points in the cached (Y+X, Y-X, Z, 2dT) form.</summary>
[SkipLocalsInit]
internal struct ProjectiveNielsPoint8
{
    public FieldElement8 YPlusX, YMinusX, Z, T2d;

    /// <summary>Writes lane i to <paramref name="output"/>[i · stride + offset].</summary>
    public readonly void Store(Span<ProjectiveNielsPoint> output, int stride, int offset)
    {
        const int lanes = FieldElement8.Lanes;
        Span<FieldElement> a = stackalloc FieldElement[lanes];
        Span<FieldElement> b = stackalloc FieldElement[lanes];
        Span<FieldElement> z = stackalloc FieldElement[lanes];
        Span<FieldElement> t = stackalloc FieldElement[lanes];
        YPlusX.Store(a);
        YMinusX.Store(b);
        Z.Store(z);
        T2d.Store(t);
        for (int i = 0; i < lanes; i++)
        {
            output[(i * stride) + offset] = new ProjectiveNielsPoint { YPlusX = a[i], YMinusX = b[i], Z = z[i], T2d = t[i] };
        }
    }
}
