using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>Point on edwards25519 in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z.</summary>
internal struct EdwardsPoint
{
    public FieldElement X, Y, Z, T;

    public static EdwardsPoint Identity => new() { X = FieldElement.Zero, Y = FieldElement.One, Z = FieldElement.One, T = FieldElement.Zero };

    /// <summary>
    /// ZIP-215 point decoding: y is the low 255 bits taken as an integer (values ≥ p are accepted and reduced),
    /// bit 255 is the sign of x. x = sqrt((y²-1)/(dy²+1)); no square root → false. If x = 0 and the sign bit
    /// is 1 ("negative zero") the point is accepted with x = 0 (ZIP-215 allows it; RFC 8032 §5.1.3 would not).
    /// </summary>
    public static bool TryDecompressZip215(ReadOnlySpan<byte> encoded, out EdwardsPoint point)
    {
        FieldElement y = FieldElement.FromBytes(encoded);
        FieldElement yy = FieldElement.Square(y);
        FieldElement u = FieldElement.Sub(yy, FieldElement.One);
        FieldElement v = FieldElement.Add(FieldElement.Mul(yy, FieldElement.D), FieldElement.One);
        if (!FieldElement.SqrtRatio(u, v, out FieldElement x))
        {
            point = default;
            return false;
        }
        // SqrtRatio returns the non-negative root; negate when the sign bit asks for the odd one. -0 = 0.
        if ((encoded[31] >> 7) != 0) x = FieldElement.Neg(x);
        y = y.Reduced();
        point = new EdwardsPoint { X = x, Y = y, Z = FieldElement.One, T = FieldElement.Mul(x, y) };
        return true;
    }

    /// <summary>
    /// <see cref="TryDecompressZip215"/> of eight encodings at once (<paramref name="encodings"/> = 8 × 32 bytes): the
    /// square-root exponentiation, nearly all of the work, runs on <see cref="FieldElement8"/> lanes; the final
    /// checks are the scalar ones. Same verdicts and same points as eight single calls.
    /// </summary>
    public static void TryDecompressZip215x8(ReadOnlySpan<byte> encodings, Span<EdwardsPoint> points, Span<bool> ok)
        => TryDecompressZip215x8<Avx512Multiplier>(encodings, points, ok);

    /// <summary><see cref="TryDecompressZip215x8(ReadOnlySpan{byte}, Span{EdwardsPoint}, Span{bool})"/> with a chosen lane multiplier (tests compare both).</summary>
    internal static void TryDecompressZip215x8<TMul>(ReadOnlySpan<byte> encodings, Span<EdwardsPoint> points, Span<bool> ok)
        where TMul : struct, ILaneMultiplier
    {
        const int lanes = FieldElement8.Lanes;
        if (encodings.Length != lanes * 32 || points.Length != lanes || ok.Length != lanes)
            throw new ArgumentException("expected 8 encodings, points and verdicts");
        Span<FieldElement> ys = stackalloc FieldElement[lanes];
        for (int i = 0; i < lanes; i++) ys[i] = FieldElement.FromBytes(encodings.Slice(32 * i, 32));
        FieldElement8 one = FieldElement8.Broadcast(FieldElement.One);
        FieldElement8 y = FieldElement8.Load(ys);
        FieldElement8 yy = FieldElement8.Square<TMul>(y);
        FieldElement8 u = FieldElement8.Sub(yy, one);
        FieldElement8 v = FieldElement8.Add(FieldElement8.Mul<TMul>(yy, FieldElement8.Broadcast(FieldElement.D)), one);
        FieldElement8 v3 = FieldElement8.Mul<TMul>(FieldElement8.Square<TMul>(v), v);
        FieldElement8 v7 = FieldElement8.Mul<TMul>(FieldElement8.Square<TMul>(v3), v);
        FieldElement8 r = FieldElement8.Mul<TMul>(FieldElement8.Mul<TMul>(u, v3), FieldElement8.PowP58<TMul>(FieldElement8.Mul<TMul>(u, v7)));
        FieldElement8 check = FieldElement8.Mul<TMul>(v, FieldElement8.Square<TMul>(r));
        Span<FieldElement> us = stackalloc FieldElement[lanes];
        Span<FieldElement> rs = stackalloc FieldElement[lanes];
        Span<FieldElement> checks = stackalloc FieldElement[lanes];
        u.Store(us);
        r.Store(rs);
        check.Store(checks);
        for (int i = 0; i < lanes; i++)
        {
            FieldElement x = rs[i];
            if (!FieldElement.FinishSqrtRatio(us[i], checks[i], ref x))
            {
                points[i] = default;
                ok[i] = false;
                continue;
            }
            if ((encodings[(32 * i) + 31] >> 7) != 0) x = FieldElement.Neg(x);
            FieldElement yr = ys[i].Reduced();
            points[i] = new EdwardsPoint { X = x, Y = yr, Z = FieldElement.One, T = FieldElement.Mul(x, yr) };
            ok[i] = true;
        }
    }

    /// <summary>Canonical RFC 8032 encoding.</summary>
    public readonly void Compress(Span<byte> output)
    {
        FieldElement zInv = FieldElement.Invert(Z);
        FieldElement x = FieldElement.Mul(X, zInv);
        FieldElement y = FieldElement.Mul(Y, zInv);
        y.ToBytes(output);
        if (x.IsNegative()) output[31] |= 0x80;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ProjectivePoint ToProjective() => new() { X = X, Y = Y, Z = Z };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ProjectiveNielsPoint ToProjectiveNiels() => new()
    {
        YPlusX = FieldElement.Add(Y, X),
        YMinusX = FieldElement.Sub(Y, X),
        Z = Z,
        T2d = FieldElement.Mul(T, FieldElement.D2),
    };

    public readonly AffineNielsPoint ToAffineNiels()
    {
        FieldElement zInv = FieldElement.Invert(Z);
        return ToAffineNiels(zInv);
    }

    /// <summary>Affine Niels form given 1/Z (lets callers share one inversion across many points).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly AffineNielsPoint ToAffineNiels(in FieldElement zInv)
    {
        FieldElement x = FieldElement.Mul(X, zInv);
        FieldElement y = FieldElement.Mul(Y, zInv);
        return new AffineNielsPoint
        {
            YPlusX = FieldElement.Add(y, x),
            YMinusX = FieldElement.Sub(y, x),
            XY2d = FieldElement.Mul(FieldElement.Mul(x, y), FieldElement.D2),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly EdwardsPoint Negate() => new() { X = FieldElement.Neg(X), Y = Y, Z = Z, T = FieldElement.Neg(T) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly EdwardsPoint Double() => ToProjective().Double().ToExtended();

    /// <summary>[8]P: clears the torsion component (ZIP-215 cofactored check).</summary>
    public readonly ProjectivePoint MulByCofactor()
    {
        ProjectivePoint p = ToProjective();
        p = p.Double().ToProjective();
        p = p.Double().ToProjective();
        return p.Double().ToProjective();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Add(in EdwardsPoint p, in ProjectiveNielsPoint q)
    {
        FieldElement pp = FieldElement.Mul(FieldElement.Add(p.Y, p.X), q.YPlusX);
        FieldElement mm = FieldElement.Mul(FieldElement.Sub(p.Y, p.X), q.YMinusX);
        FieldElement tt2d = FieldElement.Mul(p.T, q.T2d);
        FieldElement zz = FieldElement.Mul(p.Z, q.Z);
        FieldElement zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint
        {
            X = FieldElement.Sub(pp, mm),
            Y = FieldElement.Add(pp, mm),
            Z = FieldElement.Add(zz2, tt2d),
            T = FieldElement.Sub(zz2, tt2d),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Sub(in EdwardsPoint p, in ProjectiveNielsPoint q)
    {
        FieldElement pm = FieldElement.Mul(FieldElement.Add(p.Y, p.X), q.YMinusX);
        FieldElement mp = FieldElement.Mul(FieldElement.Sub(p.Y, p.X), q.YPlusX);
        FieldElement tt2d = FieldElement.Mul(p.T, q.T2d);
        FieldElement zz = FieldElement.Mul(p.Z, q.Z);
        FieldElement zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint
        {
            X = FieldElement.Sub(pm, mp),
            Y = FieldElement.Add(pm, mp),
            Z = FieldElement.Sub(zz2, tt2d),
            T = FieldElement.Add(zz2, tt2d),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Add(in EdwardsPoint p, in AffineNielsPoint q)
    {
        FieldElement pp = FieldElement.Mul(FieldElement.Add(p.Y, p.X), q.YPlusX);
        FieldElement mm = FieldElement.Mul(FieldElement.Sub(p.Y, p.X), q.YMinusX);
        FieldElement txy2d = FieldElement.Mul(p.T, q.XY2d);
        FieldElement z2 = FieldElement.Add(p.Z, p.Z);
        return new CompletedPoint
        {
            X = FieldElement.Sub(pp, mm),
            Y = FieldElement.Add(pp, mm),
            Z = FieldElement.Add(z2, txy2d),
            T = FieldElement.Sub(z2, txy2d),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Sub(in EdwardsPoint p, in AffineNielsPoint q)
    {
        FieldElement pm = FieldElement.Mul(FieldElement.Add(p.Y, p.X), q.YMinusX);
        FieldElement mp = FieldElement.Mul(FieldElement.Sub(p.Y, p.X), q.YPlusX);
        FieldElement txy2d = FieldElement.Mul(p.T, q.XY2d);
        FieldElement z2 = FieldElement.Add(p.Z, p.Z);
        return new CompletedPoint
        {
            X = FieldElement.Sub(pm, mp),
            Y = FieldElement.Add(pm, mp),
            Z = FieldElement.Sub(z2, txy2d),
            T = FieldElement.Add(z2, txy2d),
        };
    }
}

/// <summary>Projective point (X:Y:Z), used between doublings.</summary>
internal struct ProjectivePoint
{
    public FieldElement X, Y, Z;

    public static ProjectivePoint Identity => new() { X = FieldElement.Zero, Y = FieldElement.One, Z = FieldElement.One };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly CompletedPoint Double()
    {
        FieldElement xx = FieldElement.Square(X);
        FieldElement yy = FieldElement.Square(Y);
        FieldElement z2 = FieldElement.Square(Z);
        FieldElement zz2 = FieldElement.Add(z2, z2);
        FieldElement xPlusYSq = FieldElement.Square(FieldElement.Add(X, Y));
        FieldElement yyPlusXx = FieldElement.Add(yy, xx);
        FieldElement yyMinusXx = FieldElement.Sub(yy, xx);
        return new CompletedPoint
        {
            X = FieldElement.Sub(xPlusYSq, yyPlusXx),
            Y = yyPlusXx,
            Z = yyMinusXx,
            T = FieldElement.Sub(zz2, yyMinusXx),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly EdwardsPoint ToExtended() => new()
    {
        X = FieldElement.Mul(X, Z),
        Y = FieldElement.Mul(Y, Z),
        Z = FieldElement.Square(Z),
        T = FieldElement.Mul(X, Y),
    };

    /// <summary>Identity test in projective coordinates: X = 0 and Y = Z (Z is never 0 on this curve).</summary>
    public readonly bool IsIdentity() => X.IsZero() && FieldElement.Sub(Y, Z).IsZero();
}

/// <summary>"Completed" point ((X:Z),(Y:T)) produced by additions/doublings before normalising.</summary>
internal struct CompletedPoint
{
    public FieldElement X, Y, Z, T;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ProjectivePoint ToProjective() => new()
    {
        X = FieldElement.Mul(X, T),
        Y = FieldElement.Mul(Y, Z),
        Z = FieldElement.Mul(Z, T),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly EdwardsPoint ToExtended() => new()
    {
        X = FieldElement.Mul(X, T),
        Y = FieldElement.Mul(Y, Z),
        Z = FieldElement.Mul(Z, T),
        T = FieldElement.Mul(X, Y),
    };
}

/// <summary>Cached form for additions: (Y+X, Y-X, Z, 2dT).</summary>
internal struct ProjectiveNielsPoint
{
    public FieldElement YPlusX, YMinusX, Z, T2d;

    public static ProjectiveNielsPoint Identity => new() { YPlusX = FieldElement.One, YMinusX = FieldElement.One, Z = FieldElement.One, T2d = FieldElement.Zero };
}

/// <summary>Affine cached form for additions with Z = 1: (y+x, y-x, 2dxy).</summary>
internal struct AffineNielsPoint
{
    public FieldElement YPlusX, YMinusX, XY2d;
}
