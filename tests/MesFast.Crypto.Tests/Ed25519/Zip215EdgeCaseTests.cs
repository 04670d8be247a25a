using System.Numerics;
using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>Edge cases derived from the ZIP-215 rules; batch must agree with single verification on each.</summary>
public class Zip215EdgeCaseTests(ITestOutputHelper output)
{
    private static readonly BigInteger P = FieldElement.P;

    /// <summary>All encodings (canonical and not) of the 8 small-order points.</summary>
    private static List<byte[]> SmallOrderEncodings()
    {
        EdwardsPoint t8 = TestSignatures.TorsionOfOrder8();
        var list = new List<byte[]>();
        EdwardsPoint q = EdwardsPoint.Identity;
        for (int i = 0; i < 8; i++)
        {
            list.Add(TestSignatures.Encode(q));
            q = TestSignatures.AddPoints(q, t8);
        }
        // Non-canonical: y + p for y ∈ {0, 1} (both signs), and "negative zero" for the x = 0 points y = 1, y = -1.
        list.Add(TestSignatures.LittleEndian32(P));                          // y = 0 (≡ p), sign 0
        list.Add(TestSignatures.LittleEndian32(P + (BigInteger.One << 255))); // y = p, sign 1
        list.Add(TestSignatures.LittleEndian32(P + 1));                      // y = 1 (≡ p+1)
        list.Add(TestSignatures.LittleEndian32(P + 1 + (BigInteger.One << 255))); // y = p+1, negative zero
        list.Add(TestSignatures.LittleEndian32(1 + (BigInteger.One << 255)));     // y = 1, negative zero
        list.Add(TestSignatures.LittleEndian32(P - 1 + (BigInteger.One << 255))); // y = -1, negative zero
        return list;
    }

    [Fact]
    public void SmallOrderEncodings_Are14Distinct_AndDecodeToTorsion()
    {
        List<byte[]> encs = SmallOrderEncodings();
        Assert.Equal(14, encs.Select(Convert.ToHexString).Distinct().Count());
        foreach (byte[] e in encs)
        {
            Assert.True(EdwardsPoint.TryDecompressZip215(e, out EdwardsPoint p), Convert.ToHexString(e));
            Assert.True(p.MulByCofactor().IsIdentity());
        }
    }

    [Fact]
    public void SmallOrderA_SmallOrderR_ZeroS_AcceptedByZip215_RejectedByLibsodium()
    {
        List<byte[]> encs = SmallOrderEncodings();
        var pks = new List<byte[]>();
        var msgs = new List<byte[]>();
        var sigs = new List<byte[]>();
        byte[] msg = "Zcash"u8.ToArray();
        int libsodiumAccepted = 0;
        foreach (byte[] a in encs)
        {
            foreach (byte[] r in encs)
            {
                byte[] sig = [.. r, .. new byte[32]];
                Assert.True(Ed25519.Verify(a, msg, sig));
                if (TestSignatures.LibSodiumVerify(a, msg, sig)) libsodiumAccepted++;
                pks.Add(a);
                msgs.Add(msg);
                sigs.Add(sig);
            }
        }
        output.WriteLine($"libsodium accepted {libsodiumAccepted} of {pks.Count}");
        Assert.Equal(0, libsodiumAccepted);
        bool[] verdicts = TestSignatures.BatchVerdicts([.. pks], [.. msgs], [.. sigs]);
        Assert.All(verdicts, Assert.True);
    }

    [Fact]
    public void SPlusL_Rejected_SingleAndBatch()
    {
        var rng = new Random(1);
        var (pk, msg, sig) = TestSignatures.Honest(rng, 32);
        var s = new BigInteger(sig.AsSpan(32), isUnsigned: true);
        byte[] bad = [.. sig[..32], .. TestSignatures.LittleEndian32(s + Scalar.Order)];
        Assert.True(Ed25519.Verify(pk, msg, sig));
        Assert.False(Ed25519.Verify(pk, msg, bad));
        // S = L exactly, and S with the top bit set, are not canonical either.
        byte[] sEqualsL = [.. sig[..32], .. TestSignatures.LittleEndian32(Scalar.Order)];
        Assert.False(Ed25519.Verify(pk, msg, sEqualsL));
        Assert.Equal([true, false, false], TestSignatures.BatchVerdicts([pk, pk, pk], [msg, msg, msg], [sig, bad, sEqualsL]));
    }

    [Fact]
    public void SmallOrder_SPlusL_Rejected()
    {
        byte[] a = SmallOrderEncodings()[0];
        byte[] sig = [.. a, .. TestSignatures.LittleEndian32(Scalar.Order)]; // S = 0 + L
        Assert.False(Ed25519.Verify(a, [], sig));
        Assert.Equal([false], TestSignatures.BatchVerdicts([a], [[]], [sig]));
    }

    /// <summary>Signature for A' = aB + T (T of order 8) satisfying the cofactored but not the cofactorless equation.</summary>
    [Fact]
    public void MixedOrderKey_CofactoredOnly_AcceptedByOurs_RejectedByLibsodium()
    {
        var rng = new Random(2);
        EdwardsPoint t8 = TestSignatures.TorsionOfOrder8();
        var pks = new List<byte[]>();
        var msgs = new List<byte[]>();
        var sigs = new List<byte[]>();
        int made = 0;
        for (int attempt = 0; made < 8 && attempt < 200; attempt++)
        {
            var seed = new byte[32];
            rng.NextBytes(seed);
            Scalar a = TestSignatures.SecretScalar(seed);
            EdwardsPoint aPrime = TestSignatures.AddPoints(TestSignatures.MulBase(a), t8);
            byte[] pk = TestSignatures.Encode(aPrime);
            var rBytes = new byte[64];
            rng.NextBytes(rBytes);
            Scalar r = Scalar.FromBytesWide(rBytes);
            EdwardsPoint rPoint = TestSignatures.MulBase(r);
            // Half the cases also put torsion into R (mixed-order R).
            if ((attempt & 1) == 1) rPoint = TestSignatures.AddPoints(rPoint, t8.Double());
            byte[] rEnc = TestSignatures.Encode(rPoint);
            var msg = new byte[32];
            rng.NextBytes(msg);
            Scalar k = Ed25519.HashToScalar(rEnc, pk, msg);
            var kb = new byte[32];
            k.ToBytes(kb);
            if ((kb[0] & 7) == 0) continue; // [k]T = O would make the cofactorless equation hold too
            var sb = new byte[32];
            Scalar.Add(r, Scalar.Mul(k, a)).ToBytes(sb);
            byte[] sig = [.. rEnc, .. sb];
            Assert.True(Ed25519.Verify(pk, msg, sig));
            Assert.False(TestSignatures.LibSodiumVerify(pk, msg, sig));
            pks.Add(pk); msgs.Add(msg); sigs.Add(sig);
            made++;
        }
        Assert.Equal(8, made);
        Assert.All(TestSignatures.BatchVerdicts([.. pks], [.. msgs], [.. sigs]), Assert.True);
    }

    [Fact]
    public void NonPoints_Rejected_SingleAndBatch()
    {
        var rng = new Random(3);
        var (pk, msg, sig) = TestSignatures.Honest(rng, 32);
        var nonPoints = new List<byte[]>();
        for (int y = 2; nonPoints.Count < 6; y++)
        {
            var e = TestSignatures.LittleEndian32(y);
            if (!EdwardsPoint.TryDecompressZip215(e, out _)) nonPoints.Add(e);
        }
        var pks = new List<byte[]> { pk };
        var msgs = new List<byte[]> { msg };
        var sigs = new List<byte[]> { sig };
        foreach (byte[] np in nonPoints)
        {
            Assert.False(Ed25519.Verify(np, msg, sig));
            byte[] badR = [.. np, .. sig[32..]];
            Assert.False(Ed25519.Verify(pk, msg, badR));
            pks.Add(np); msgs.Add(msg); sigs.Add(sig);
            pks.Add(pk); msgs.Add(msg); sigs.Add(badR);
        }
        bool[] v = TestSignatures.BatchVerdicts([.. pks], [.. msgs], [.. sigs]);
        Assert.True(v[0]);
        Assert.All(v[1..], Assert.False);
    }

    [Fact]
    public void Decoding_MatchesBigIntegerReference_ForNonCanonicalY()
    {
        // y = p + k for small k (only k ∈ {0, 1} fit below 2^255): same point as y = k.
        for (int k = 0; k < 2; k++)
        {
            for (int sign = 0; sign < 2; sign++)
            {
                byte[] canon = TestSignatures.LittleEndian32(k + (sign == 1 ? BigInteger.One << 255 : BigInteger.Zero));
                byte[] nonCanon = TestSignatures.LittleEndian32(P + k + (sign == 1 ? BigInteger.One << 255 : BigInteger.Zero));
                Assert.True(EdwardsPoint.TryDecompressZip215(canon, out EdwardsPoint p1));
                Assert.True(EdwardsPoint.TryDecompressZip215(nonCanon, out EdwardsPoint p2));
                Assert.True(TestSignatures.PointsEqual(p1, p2));
            }
        }
        // Every 255-bit y from 2^255-19 .. 2^255-1 (all ≥ p) is handled like y - p.
        for (int k = 0; k < 19; k++)
        {
            bool ok1 = EdwardsPoint.TryDecompressZip215(TestSignatures.LittleEndian32(P + k), out _);
            bool ok2 = EdwardsPoint.TryDecompressZip215(TestSignatures.LittleEndian32(k), out _);
            Assert.Equal(ok2, ok1);
        }
    }
}
