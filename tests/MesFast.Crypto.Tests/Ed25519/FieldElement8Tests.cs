using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>
/// The eight-lane field arithmetic against BigInteger and the scalar field code, with both lane multipliers
/// (hardware 32×32→64 and the portable 64-bit product), and the eight-lane decompression against single decoding.
/// </summary>
public class FieldElement8Tests(ITestOutputHelper output)
{
    private static readonly BigInteger P = FieldElement.P;

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    private static BigInteger Random255(Random rng)
    {
        var b = new byte[32];
        rng.NextBytes(b);
        b[31] &= 0x7f;
        return new BigInteger(b, isUnsigned: true);
    }

    private static BigInteger[] Lanes(in FieldElement8 f)
    {
        var elements = new FieldElement[8];
        f.Store(elements);
        var values = new BigInteger[8];
        for (int i = 0; i < 8; i++) values[i] = elements[i].ToBigInteger();
        return values;
    }

    private static FieldElement8 FromValues(BigInteger[] values)
    {
        var elements = new FieldElement[8];
        for (int i = 0; i < 8; i++) elements[i] = FieldElement.FromBytes(TestSignatures.LittleEndian32(values[i]));
        return FieldElement8.Load(elements);
    }

    /// <summary>
    /// An element whose limbs sit at the bounds the operations promise (even limbs 2^26 + 2^17, odd limbs
    /// 2^25 + 2^18), the worst case for overflow.
    /// </summary>
    private static FieldElement8 MaxLimbs(out BigInteger value)
    {
        ulong even = (1UL << 26) + (1UL << 17), odd = (1UL << 25) + (1UL << 18);
        Vector512<ulong> e = Vector512.Create(even), o = Vector512.Create(odd);
        value = 0;
        int shift = 0;
        for (int i = 0; i < 10; i++)
        {
            value += (BigInteger)(i % 2 == 0 ? even : odd) << shift;
            shift += (i % 2 == 0) ? 26 : 25;
        }
        return new FieldElement8 { L0 = e, L1 = o, L2 = e, L3 = o, L4 = e, L5 = o, L6 = e, L7 = o, L8 = e, L9 = o };
    }

    private static void CheckOperations<TMul>(int seed) where TMul : struct, ILaneMultiplier
    {
        var rng = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            var a = new BigInteger[8];
            var b = new BigInteger[8];
            for (int i = 0; i < 8; i++)
            {
                a[i] = Random255(rng);
                b[i] = Random255(rng);
            }
            if (round == 0) { a[0] = P - 1; b[0] = P - 1; a[1] = P; b[1] = (BigInteger.One << 255) - 1; a[2] = 0; b[2] = 1; }
            FieldElement8 fa = FromValues(a), fb = FromValues(b);
            BigInteger[] mul = Lanes(FieldElement8.Mul<TMul>(fa, fb));
            BigInteger[] sq = Lanes(FieldElement8.Square<TMul>(fa));
            BigInteger[] sq20 = Lanes(FieldElement8.SquareTimes<TMul>(fa, 20));
            BigInteger[] add = Lanes(FieldElement8.Add(fa, fb));
            BigInteger[] sub = Lanes(FieldElement8.Sub(fa, fb));
            BigInteger[] pow = round < 20 ? Lanes(FieldElement8.PowP58<TMul>(fa)) : [];
            for (int i = 0; i < 8; i++)
            {
                string where = $"seed {seed} round {round} lane {i}";
                Assert.True(Mod(a[i] * b[i]) == mul[i], where);
                Assert.True(Mod(a[i] * a[i]) == sq[i], where);
                Assert.True(BigInteger.ModPow(Mod(a[i]), BigInteger.Pow(2, 20), P) == sq20[i], where);
                Assert.True(Mod(a[i] + b[i]) == add[i], where);
                Assert.True(Mod(a[i] - b[i]) == sub[i], where);
                if (pow.Length > 0) Assert.True(BigInteger.ModPow(Mod(a[i]), (P - 5) / 8, P) == pow[i], where);
            }
        }
        // Worst-case limbs: products and sums stay exact (no lane overflow) and outputs keep the limb bound.
        FieldElement8 max = MaxLimbs(out BigInteger maxValue);
        AssertBound(FieldElement8.Mul<TMul>(max, max));
        Assert.Equal(Mod(maxValue * maxValue), Lanes(FieldElement8.Mul<TMul>(max, max))[3]);
        Assert.Equal(Mod(maxValue * maxValue), Lanes(FieldElement8.Square<TMul>(max))[5]);
        Assert.Equal(Mod(maxValue + maxValue), Lanes(FieldElement8.Add(max, max))[0]);
        FieldElement8 sum = FieldElement8.Add(max, max);
        AssertBound(sum);
        Assert.Equal(Mod(4 * maxValue * maxValue), Lanes(FieldElement8.Mul<TMul>(sum, sum))[7]);
        Assert.Equal(Mod(-maxValue), Lanes(FieldElement8.Sub(default, max))[1]);
    }

    private static void AssertBound(in FieldElement8 f)
    {
        Vector512<ulong>[] limbs = [f.L0, f.L1, f.L2, f.L3, f.L4, f.L5, f.L6, f.L7, f.L8, f.L9];
        for (int k = 0; k < 10; k++)
        {
            ulong bound = k % 2 == 0 ? (1UL << 26) + (1UL << 18) : (1UL << 25) + (1UL << 19);
            for (int i = 0; i < 8; i++) Assert.True(limbs[k][i] < bound, $"limb {k} = {limbs[k][i]:x} above bound");
        }
    }

    [Fact]
    public void Operations_MatchBigInteger_HardwareMultiplier()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        CheckOperations<Avx512Multiplier>(seed);
    }

    [Fact]
    public void Operations_MatchBigInteger_PortableMultiplier()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        CheckOperations<PortableMultiplier>(seed);
    }

    /// <summary>
    /// Eight-lane decompression gives the verdict and the point of single decoding, for random encodings (about half
    /// are not on the curve), encodings of valid points, non-canonical y ≥ p and the small-order encodings.
    /// </summary>
    [Fact]
    public void Decompress8_MatchesSingle_BothMultipliers()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var pool = new List<byte[]>();
        for (int i = 0; i < 400; i++)
        {
            var e = new byte[32];
            rng.NextBytes(e);
            pool.Add(e);
            var (pk, _, sig) = TestSignatures.Honest(rng, 8);
            pool.Add(pk);
            pool.Add(sig[..32]);
        }
        for (int k = 0; k < 19; k++)
        {
            pool.Add(TestSignatures.LittleEndian32(P + k));
            pool.Add(TestSignatures.LittleEndian32(P + k + (BigInteger.One << 255)));
        }
        pool.Add(TestSignatures.Encode(TestSignatures.TorsionOfOrder8()));
        pool.Add(new byte[32]);
        int accepted = 0, rejected = 0;
        var encodings = new byte[8 * 32];
        var points = new EdwardsPoint[8];
        var ok = new bool[8];
        for (int start = 0; start < pool.Count; start += 8)
        {
            for (int i = 0; i < 8; i++) pool[(start + i) % pool.Count].CopyTo(encodings, 32 * i);
            for (int pass = 0; pass < 2; pass++)
            {
                if (pass == 0) EdwardsPoint.TryDecompressZip215x8<Avx512Multiplier>(encodings, points, ok);
                else EdwardsPoint.TryDecompressZip215x8<PortableMultiplier>(encodings, points, ok);
                for (int i = 0; i < 8; i++)
                {
                    bool single = EdwardsPoint.TryDecompressZip215(encodings.AsSpan(32 * i, 32), out EdwardsPoint expected);
                    Assert.True(single == ok[i], $"seed {seed} item {start + i} pass {pass}");
                    if (!single) { rejected++; continue; }
                    accepted++;
                    Assert.True(TestSignatures.PointsEqual(expected, points[i]), $"seed {seed} item {start + i} pass {pass}");
                    Assert.Equal(FieldElement.Mul(points[i].X, points[i].Y).ToBigInteger(), points[i].T.ToBigInteger());
                    Assert.Equal(BigInteger.One, points[i].Z.ToBigInteger());
                }
            }
        }
        Assert.True(accepted > 1000 && rejected > 100, $"accepted {accepted}, rejected {rejected}");
    }

    /// <summary>The batch's decoder (full lane groups, a padded partial group, single tail) agrees with single decoding at every count.</summary>
    [Fact]
    public void DecompressMany_EveryCount_MatchesSingle()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int count = 0; count <= 27; count++)
        {
            var encodings = new byte[32 * count];
            for (int i = 0; i < count; i++)
            {
                if (rng.Next(2) == 0) rng.NextBytes(encodings.AsSpan(32 * i, 32));
                else TestSignatures.Honest(rng, 4).Pk.CopyTo(encodings, 32 * i);
            }
            var points = new EdwardsPoint[count];
            var ok = new bool[count];
            Ed25519Batch.DecompressMany(encodings, points, ok);
            for (int i = 0; i < count; i++)
            {
                bool single = EdwardsPoint.TryDecompressZip215(encodings.AsSpan(32 * i, 32), out EdwardsPoint expected);
                Assert.True(single == ok[i], $"seed {seed} count {count} item {i}");
                if (single) Assert.True(TestSignatures.PointsEqual(expected, points[i]), $"seed {seed} count {count} item {i}");
            }
        }
    }

    /// <summary>Tables of odd multiples built on lanes hold the scalar code's field values, for every count and both multipliers.</summary>
    [Fact]
    public void OddMultiplesMany_Lanes_MatchScalar()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int count = 0; count <= 19; count++)
        {
            var points = new EdwardsPoint[count];
            for (int i = 0; i < count; i++)
            {
                // Decoded keys, plus sums so that Z ≠ 1 and the coordinates are not normalised.
                Assert.True(EdwardsPoint.TryDecompressZip215(TestSignatures.Honest(rng, 4).Pk, out points[i]));
                if (i % 2 == 1) points[i] = TestSignatures.AddPoints(points[i], points[i - 1]);
            }
            if (count > 3) points[3] = TestSignatures.TorsionOfOrder8();
            var expected = new ProjectiveNielsPoint[count * 8];
            var lanes = new ProjectiveNielsPoint[count * 8];
            var portable = new ProjectiveNielsPoint[count * 8];
            MultiScalarMul.OddMultiplesMany<Avx512Multiplier>(points, expected, useLanes: false);
            MultiScalarMul.OddMultiplesMany<Avx512Multiplier>(points, lanes, useLanes: true);
            MultiScalarMul.OddMultiplesMany<PortableMultiplier>(points, portable, useLanes: true);
            for (int i = 0; i < expected.Length; i++)
            {
                foreach (var actual in new[] { lanes[i], portable[i] })
                {
                    string where = $"seed {seed} count {count} entry {i}";
                    Assert.True(expected[i].YPlusX.ToBigInteger() == actual.YPlusX.ToBigInteger(), where);
                    Assert.True(expected[i].YMinusX.ToBigInteger() == actual.YMinusX.ToBigInteger(), where);
                    Assert.True(expected[i].Z.ToBigInteger() == actual.Z.ToBigInteger(), where);
                    Assert.True(expected[i].T2d.ToBigInteger() == actual.T2d.ToBigInteger(), where);
                }
            }
        }
    }
}
