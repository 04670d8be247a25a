using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>
/// The parallel-formulas Straus against the scalar one: it runs the same field operations, so all four result
/// coordinates must be equal mod p (not only the same point), with the hardware and the portable lane multiplier.
/// </summary>
public class MultiScalarMulParallelTests(ITestOutputHelper output)
{
    private static bool SameCoordinates(in EdwardsPoint p, in EdwardsPoint q)
        => FieldElement.AreEqual(p.X, q.X) && FieldElement.AreEqual(p.Y, q.Y)
        && FieldElement.AreEqual(p.Z, q.Z) && FieldElement.AreEqual(p.T, q.T);

    [Fact]
    public void Straus_MatchesScalarStraus()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (int count = 0; count <= 41; count++)
        {
            var points = new EdwardsPoint[count];
            var scalars = new byte[32 * count];
            for (int i = 0; i < count; i++)
            {
                Assert.True(EdwardsPoint.TryDecompressZip215(TestSignatures.Honest(rng, 4).Pk, out points[i]));
                if (i % 5 == 2) points[i] = TestSignatures.TorsionOfOrder8();
                if (i % 3 == 1) points[i] = TestSignatures.AddPoints(points[i], points[i - 1]); // Z ≠ 1
                rng.NextBytes(scalars.AsSpan(32 * i, 32));
                scalars[(32 * i) + 31] &= 0x7f;
                if (i % 4 == 3) scalars.AsSpan((32 * i) + 16, 16).Clear(); // 128-bit scalars, like the z_i of R_i
                if (i % 11 == 10) scalars.AsSpan(32 * i, 32).Clear();      // zero
                if (i % 13 == 12) scalars.AsSpan(32 * i, 32).Fill(0xff);   // all digits dense near 2^255
                scalars[(32 * i) + 31] &= 0x7f;
            }
            var b = new byte[32];
            rng.NextBytes(b);
            b[31] &= 0x7f;
            if (count == 7) b.AsSpan().Clear();
            EdwardsPoint expected = MultiScalarMul.Straus(points, scalars, b);
            EdwardsPoint fast = MultiScalarMulParallel.Straus<Avx512Multiplier>(points, scalars, b);
            Assert.True(SameCoordinates(expected, fast), $"seed {seed} count {count}");
            Assert.True(TestSignatures.PointsEqual(expected, fast), $"seed {seed} count {count}");
            if (count % 5 == 0 || count == 1)
            {
                EdwardsPoint portable = MultiScalarMulParallel.Straus<PortableMultiplier>(points, scalars, b);
                Assert.True(SameCoordinates(expected, portable), $"seed {seed} count {count} portable");
            }
        }
    }

    /// <summary>Only zero scalars: both give the identity with the same coordinates.</summary>
    [Fact]
    public void Straus_AllZero_IsIdentity()
    {
        var points = new[] { BasepointTable.Basepoint, BasepointTable.Basepoint };
        var scalars = new byte[64];
        var b = new byte[32];
        EdwardsPoint fast = MultiScalarMulParallel.Straus(points, scalars, b);
        Assert.True(SameCoordinates(MultiScalarMul.Straus(points, scalars, b), fast));
        Assert.True(fast.ToProjective().IsIdentity());
    }

    /// <summary>The AVX-512 transposition of table lanes and the element-wise one agree, and match the scalar packing.</summary>
    [Fact]
    public void Transpose_HardwareAndPortableAgree()
    {
        var rng = new Random(5);
        var elements = new FieldElement[4][];
        var packed = new FieldElement8[4];
        for (int f = 0; f < 4; f++)
        {
            elements[f] = new FieldElement[8];
            for (int i = 0; i < 8; i++)
            {
                var bytes = new byte[32];
                rng.NextBytes(bytes);
                elements[f][i] = FieldElement.FromBytes(bytes);
            }
            packed[f] = FieldElement8.Load(elements[f]);
        }
        var hardware = new FieldElement4[24];
        var portable = new FieldElement4[24];
        FieldElement4.Transpose(packed[0], packed[1], packed[2], packed[3], hardware, 3, 1, useAvx512: true);
        FieldElement4.Transpose(packed[0], packed[1], packed[2], packed[3], portable, 3, 1, useAvx512: false);
        for (int i = 0; i < 8; i++)
        {
            FieldElement4 expected = FieldElement4.FromLanes(elements[0][i], elements[1][i], elements[2][i], elements[3][i]);
            for (int lane = 0; lane < 4; lane++)
            {
                Assert.True(FieldElement.AreEqual(expected.GetLane(lane), hardware[1 + (3 * i)].GetLane(lane)));
                Assert.True(FieldElement.AreEqual(expected.GetLane(lane), portable[1 + (3 * i)].GetLane(lane)));
            }
        }
    }

    /// <summary>After the pools are warm, a call allocates nothing (tables and digits come from ArrayPool).</summary>
    [Fact]
    public void Straus_DoesNotAllocateWhenWarm()
    {
        var rng = new Random(9);
        var points = new EdwardsPoint[20];
        var scalars = new byte[32 * points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            Assert.True(EdwardsPoint.TryDecompressZip215(TestSignatures.Honest(rng, 4).Pk, out points[i]));
            rng.NextBytes(scalars.AsSpan(32 * i, 32));
            scalars[(32 * i) + 31] &= 0x7f;
        }
        var b = new byte[32];
        MultiScalarMulParallel.Straus(points, scalars, b);
        long before = GC.GetAllocatedBytesForCurrentThread();
        MultiScalarMulParallel.Straus(points, scalars, b);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
