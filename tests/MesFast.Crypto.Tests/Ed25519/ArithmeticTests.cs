using System.Numerics;
using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>Field and scalar arithmetic against System.Numerics.BigInteger.</summary>
public class ArithmeticTests(ITestOutputHelper output)
{
    private static readonly BigInteger P = FieldElement.P;
    private static readonly BigInteger L = Scalar.Order;

    private static BigInteger RandomBelow(Random rng, int bytes, BigInteger? modulus = null)
    {
        var b = new byte[bytes];
        rng.NextBytes(b);
        var v = new BigInteger(b, isUnsigned: true);
        return modulus is { } m ? BigInteger.Remainder(v, m) : v;
    }

    private static BigInteger Mod(BigInteger v, BigInteger m) => ((v % m) + m) % m;

    [Fact]
    public void Field_MulSquareAddSubInvert_MatchBigInteger()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int i = 0; i < 2000; i++)
        {
            // Inputs are any 255-bit values (FromBytes does not require < p).
            BigInteger a = RandomBelow(rng, 32) & ((BigInteger.One << 255) - 1);
            BigInteger b = RandomBelow(rng, 32) & ((BigInteger.One << 255) - 1);
            if (i < 4) { a = P - 1 - i; b = (BigInteger.One << 255) - 1 - i; }
            FieldElement fa = FieldElement.FromBytes(TestSignatures.LittleEndian32(a));
            FieldElement fb = FieldElement.FromBytes(TestSignatures.LittleEndian32(b));
            Assert.Equal(Mod(a, P), fa.ToBigInteger());
            Assert.Equal(Mod(a * b, P), FieldElement.Mul(fa, fb).ToBigInteger());
            Assert.Equal(Mod(a * a, P), FieldElement.Square(fa).ToBigInteger());
            Assert.Equal(Mod(a + b, P), FieldElement.Add(fa, fb).ToBigInteger());
            Assert.Equal(Mod(a - b, P), FieldElement.Sub(fa, fb).ToBigInteger());
            Assert.Equal(Mod(-a, P), FieldElement.Neg(fa).ToBigInteger());
            Assert.Equal(BigInteger.ModPow(Mod(a, P), P - 2, P), FieldElement.Invert(fa).ToBigInteger());
            Assert.Equal(BigInteger.ModPow(Mod(a, P), BigInteger.Pow(2, 100), P), FieldElement.SquareTimes(fa, 100).ToBigInteger());
        }
    }

    /// <summary>
    /// Mul/Square on the largest limbs the point formulas feed them (an Add of an Add output: limbs below
    /// 3·2^52): exact results and weakly reduced outputs (limbs below 2^52).
    /// </summary>
    [Fact]
    public void Field_MulSquare_LargeUnreducedLimbs_MatchBigInteger()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        const ulong Max = (3UL << 52) - 1;
        static BigInteger Value(in FieldElement f)
            => f.L0 + ((BigInteger)f.L1 << 51) + ((BigInteger)f.L2 << 102) + ((BigInteger)f.L3 << 153) + ((BigInteger)f.L4 << 204);
        static void AssertWeak(in FieldElement f)
        {
            foreach (ulong l in new[] { f.L0, f.L1, f.L2, f.L3, f.L4 }) Assert.True(l < (1UL << 52));
        }
        for (int i = 0; i < 5000; i++)
        {
            ulong Limb() => i < 2 ? Max - (ulong)i : (ulong)rng.NextInt64(0, (long)Max + 1);
            var fa = new FieldElement(Limb(), Limb(), Limb(), Limb(), Limb());
            var fb = new FieldElement(Limb(), Limb(), Limb(), Limb(), Limb());
            BigInteger a = Value(fa), b = Value(fb);
            FieldElement m = FieldElement.Mul(fa, fb);
            FieldElement q = FieldElement.Square(fa);
            FieldElement q3 = FieldElement.SquareTimes(fa, 3);
            AssertWeak(m);
            AssertWeak(q);
            AssertWeak(q3);
            Assert.Equal(Mod(a * b, P), Mod(Value(m), P));
            Assert.Equal(Mod(a * a, P), Mod(Value(q), P));
            Assert.Equal(BigInteger.ModPow(Mod(a, P), 8, P), Mod(Value(q3), P));
        }
    }

    [Fact]
    public void Field_SqrtRatio_MatchesEulerCriterion()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            BigInteger u = RandomBelow(rng, 32, P);
            BigInteger v = RandomBelow(rng, 32, P);
            if (v.IsZero) continue;
            if (i == 0) u = 0;
            BigInteger ratio = Mod(u * BigInteger.ModPow(v, P - 2, P), P);
            bool isSquare = ratio.IsZero || BigInteger.ModPow(ratio, (P - 1) / 2, P).IsOne;
            bool ok = FieldElement.SqrtRatio(FieldElement.FromBigInteger(u), FieldElement.FromBigInteger(v), out FieldElement r);
            Assert.Equal(isSquare, ok);
            if (ok)
            {
                BigInteger rv = r.ToBigInteger();
                Assert.Equal(ratio, Mod(rv * rv, P));
                Assert.True(rv.IsEven); // non-negative root
            }
        }
    }

    [Fact]
    public void Field_ToBytes_IsCanonical()
    {
        for (int k = 0; k < 19; k++)
        {
            FieldElement f = FieldElement.FromBytes(TestSignatures.LittleEndian32(P + k));
            var b = new byte[32];
            f.ToBytes(b);
            Assert.Equal(TestSignatures.LittleEndian32(k), b);
        }
    }

    [Fact]
    public void Scalar_ReduceWideMulAddNeg_MatchBigInteger()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int i = 0; i < 2000; i++)
        {
            var wide = new byte[64];
            rng.NextBytes(wide);
            if (i == 0) Array.Fill(wide, (byte)0xff);
            if (i == 1) Array.Clear(wide);
            BigInteger w = new(wide, isUnsigned: true);
            Scalar s = Scalar.FromBytesWide(wide);
            Assert.Equal(w % L, s.ToBigInteger());

            BigInteger a = RandomBelow(rng, 32, L);
            BigInteger b = RandomBelow(rng, 32, L);
            if (i == 2) { a = L - 1; b = L - 1; }
            Scalar sa = Scalar.FromBytesUnreduced(TestSignatures.LittleEndian32(a));
            Scalar sb = Scalar.FromBytesUnreduced(TestSignatures.LittleEndian32(b));
            Assert.Equal(a * b % L, Scalar.Mul(sa, sb).ToBigInteger());
            Assert.Equal((a + b) % L, Scalar.Add(sa, sb).ToBigInteger());
            Assert.Equal(Mod(a - b, L), Scalar.Sub(sa, sb).ToBigInteger());
            Assert.Equal(Mod(-a, L), Scalar.Neg(sa).ToBigInteger());
            // 128-bit weight times a reduced scalar (batch z_i·k_i).
            BigInteger z = RandomBelow(rng, 16);
            Scalar sz = Scalar.FromBytesUnreduced(TestSignatures.LittleEndian32(z));
            Assert.Equal(z * a % L, Scalar.Mul(sz, sa).ToBigInteger());
        }
    }

    [Fact]
    public void Scalar_IsCanonical_ExactBoundary()
    {
        Assert.True(Scalar.IsCanonical(TestSignatures.LittleEndian32(L - 1)));
        Assert.False(Scalar.IsCanonical(TestSignatures.LittleEndian32(L)));
        Assert.False(Scalar.IsCanonical(TestSignatures.LittleEndian32(L + 1)));
        Assert.True(Scalar.IsCanonical(new byte[32]));
        Assert.False(Scalar.IsCanonical(TestSignatures.LittleEndian32((BigInteger.One << 256) - 1)));
        Assert.True(Scalar.IsCanonical(TestSignatures.LittleEndian32((BigInteger.One << 252) - 1)));
    }

    /// <summary>The bit-at-a-time recoding NonAdjacentForm.Compute used before it skipped runs of even windows.</summary>
    private static int ReferenceNaf(ReadOnlySpan<byte> scalar32, int w, Span<sbyte> digits)
    {
        var x = new ulong[5];
        for (int k = 0; k < 4; k++) x[k] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(scalar32.Slice(8 * k));
        digits.Slice(0, 256).Clear();
        ulong width = 1UL << w;
        int pos = 0, top = 0;
        ulong carry = 0;
        while (pos < 256)
        {
            int idx = pos >> 6, bit = pos & 63;
            ulong buf = bit < 64 - w ? x[idx] >> bit : (x[idx] >> bit) | (x[idx + 1] << (64 - bit));
            ulong window = carry + (buf & (width - 1));
            if ((window & 1) == 0)
            {
                pos++;
                continue;
            }
            carry = window < width / 2 ? 0UL : 1UL;
            digits[pos] = (sbyte)(window < width / 2 ? (long)window : (long)window - (long)width);
            top = pos + 1;
            pos += w;
        }
        return top;
    }

    /// <summary>Same digits and top as the bit-at-a-time recoding, for random, sparse, dense and edge scalars, every width.</summary>
    [Fact]
    public void Naf_MatchesBitAtATimeReference()
    {
        var rng = new Random(17);
        var scalar = new byte[32];
        var expected = new sbyte[256];
        var actual = new sbyte[256];
        for (int i = 0; i < 3000; i++)
        {
            rng.NextBytes(scalar);
            if (i % 4 == 1) for (int k = 0; k < 32; k++) scalar[k] &= (byte)rng.Next(256); // sparse
            if (i % 4 == 2) for (int k = 0; k < 32; k++) scalar[k] |= (byte)rng.Next(256); // dense
            if (i == 3) Array.Clear(scalar);
            if (i == 7) Array.Fill(scalar, (byte)0xff);
            if (i % 8 == 5) scalar.AsSpan(16).Clear(); // 128-bit
            scalar[31] &= 0x7f;
            for (int w = 2; w <= 8; w++)
            {
                int top = ReferenceNaf(scalar, w, expected);
                Assert.Equal(top, NonAdjacentForm.Compute(scalar, w, actual));
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Naf_ReconstructsScalar()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var digits = new sbyte[256];
        for (int i = 0; i < 1000; i++)
        {
            BigInteger s = RandomBelow(rng, 32) & ((BigInteger.One << 255) - 1);
            int w = 2 + (i % 7);
            int top = NonAdjacentForm.Compute(TestSignatures.LittleEndian32(s), w, digits);
            BigInteger acc = 0;
            for (int j = 255; j >= 0; j--)
            {
                acc = (acc << 1) + digits[j];
                if (digits[j] != 0)
                {
                    Assert.True((digits[j] & 1) != 0 && Math.Abs((int)digits[j]) < (1 << (w - 1)));
                    Assert.True(j < top);
                }
            }
            Assert.Equal(s, acc);
        }
    }

    [Fact]
    public void Basepoint_HasOrderL_AndMultiScalarMulMatchesNaive()
    {
        byte[] l = TestSignatures.LittleEndian32(L);
        Assert.True(TestSignatures.Mul(l, BasepointTable.Basepoint).ToProjective().IsIdentity());
        var rng = new Random(5);
        var points = new EdwardsPoint[5];
        var scalars = new byte[5 * 32];
        EdwardsPoint expected = EdwardsPoint.Identity;
        for (int j = 0; j < 5; j++)
        {
            var wide = new byte[64];
            rng.NextBytes(wide);
            Scalar pj = Scalar.FromBytesWide(wide);
            points[j] = TestSignatures.MulBase(pj);
            rng.NextBytes(wide);
            Scalar.FromBytesWide(wide).ToBytes(scalars.AsSpan(j * 32, 32));
            expected = TestSignatures.AddPoints(expected, TestSignatures.Mul(scalars.AsSpan(j * 32, 32), points[j]));
        }
        var b = new byte[32];
        b[0] = 77;
        expected = TestSignatures.AddPoints(expected, TestSignatures.MulBase(Scalar.FromBytesModOrder(b)));
        EdwardsPoint got = MultiScalarMul.Straus(points, scalars, b);
        Assert.True(TestSignatures.PointsEqual(expected, got));
        Assert.Equal(TestSignatures.Encode(expected), TestSignatures.Encode(got));
    }

    /// <summary>Montgomery multiplication (unrolled) on edge values: 0, 1, L−1, and values up to the a·b &lt; R·L bound.</summary>
    [Fact]
    public void Scalar_MontgomeryMul_EdgeValues_MatchBigInteger()
    {
        BigInteger r = BigInteger.One << 260;
        BigInteger rInv = BigInteger.ModPow(r, L - 2, L);
        BigInteger[] values = [0, 1, 2, L - 1, L - 2, (BigInteger.One << 252) - 1, L / 2, (BigInteger.One << 253) - 1 - L];
        foreach (BigInteger a in values)
        {
            foreach (BigInteger b in values)
            {
                Scalar sa = Scalar.FromBytesUnreduced(TestSignatures.LittleEndian32(a));
                Scalar sb = Scalar.FromBytesUnreduced(TestSignatures.LittleEndian32(b));
                Assert.Equal(Mod(a * b * rInv, L), Scalar.MontgomeryMul(sa, sb).ToBigInteger());
                Assert.Equal(Mod(a * b, L), Scalar.Mul(sa, sb).ToBigInteger());
            }
        }
    }
}
