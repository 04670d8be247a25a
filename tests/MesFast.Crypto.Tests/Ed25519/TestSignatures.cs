using System.Security.Cryptography;

namespace MesFast.Crypto.Tests;

/// <summary>Helpers that build signatures and batches for the tests (test code only: allocations are fine).</summary>
internal static class TestSignatures
{
    public static readonly NSec.Cryptography.SignatureAlgorithm LibSodium = NSec.Cryptography.SignatureAlgorithm.Ed25519;

    public static bool LibSodiumVerify(byte[] pk, byte[] msg, byte[] sig)
    {
        if (!NSec.Cryptography.PublicKey.TryImport(LibSodium, pk, NSec.Cryptography.KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? key))
            return false;
        return LibSodium.Verify(key!, msg, sig);
    }

    public static (byte[] Pk, byte[] Msg, byte[] Sig) Honest(Random rng, int messageLength)
    {
        var seed = new byte[32];
        rng.NextBytes(seed);
        var pk = new byte[32];
        Ed25519.PublicKeyFromSeed(seed, pk);
        var msg = new byte[messageLength];
        rng.NextBytes(msg);
        var sig = new byte[64];
        Ed25519.Sign(seed, msg, sig);
        return (pk, msg, sig);
    }

    /// <summary>The secret scalar a of RFC 8032 §5.1.5: clamp(SHA-512(seed)[0..32]).</summary>
    public static Scalar SecretScalar(byte[] seed)
    {
        byte[] h = SHA512.HashData(seed);
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        return Scalar.FromBytesModOrder(h.AsSpan(0, 32));
    }

    public static EdwardsPoint MulBase(in Scalar s)
    {
        var b = new byte[32];
        s.ToBytes(b);
        return MultiScalarMul.DoubleBase(new byte[32], EdwardsPoint.Identity, b);
    }

    public static EdwardsPoint Mul(ReadOnlySpan<byte> scalar, in EdwardsPoint p) => MultiScalarMul.DoubleBase(scalar, p, new byte[32]);

    public static EdwardsPoint AddPoints(in EdwardsPoint p, in EdwardsPoint q) => EdwardsPoint.Add(p, q.ToProjectiveNiels()).ToExtended();

    public static byte[] Encode(in EdwardsPoint p)
    {
        var e = new byte[32];
        p.Compress(e);
        return e;
    }

    public static bool PointsEqual(in EdwardsPoint p, in EdwardsPoint q)
        => FieldElement.AreEqual(FieldElement.Mul(p.X, q.Z), FieldElement.Mul(q.X, p.Z))
        && FieldElement.AreEqual(FieldElement.Mul(p.Y, q.Z), FieldElement.Mul(q.Y, p.Z));

    public static byte[] LittleEndian32(System.Numerics.BigInteger v)
    {
        var b = new byte[32];
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return b;
    }

    /// <summary>A point of order exactly 8, found as [L]P for decodable P (the torsion component of P).</summary>
    public static EdwardsPoint TorsionOfOrder8()
    {
        byte[] l = LittleEndian32(Scalar.Order);
        for (int y = 2; ; y++)
        {
            var enc = new byte[32];
            enc[0] = (byte)y;
            if (!EdwardsPoint.TryDecompressZip215(enc, out EdwardsPoint p)) continue;
            EdwardsPoint t = Mul(l, p);
            EdwardsPoint t4 = t.Double().Double();
            if (!t4.ToProjective().IsIdentity()) return t; // [4]T ≠ O and [8]T = O → order 8
        }
    }

    /// <summary>Runs both batch APIs (sequential and parallel) and checks they agree; returns the sequential verdicts.</summary>
    public static bool[] BatchVerdicts(byte[][] pks, byte[][] msgs, byte[][] sigs)
    {
        int n = pks.Length;
        byte[] pkAll = pks.SelectMany(x => x).ToArray();
        byte[] sigAll = sigs.SelectMany(x => x).ToArray();
        byte[] msgAll = msgs.SelectMany(x => x).ToArray();
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + msgs[i].Length;
        var valid = new bool[n];
        int bad = Ed25519Batch.Verify(pkAll, sigAll, msgAll, offsets, valid);
        Assert.Equal(valid.Count(v => !v), bad);
        var validPar = new bool[n];
        int badPar = Ed25519Batch.VerifyParallel(pkAll, sigAll, msgAll, offsets, validPar);
        Assert.Equal(bad, badPar);
        Assert.Equal(valid, validPar);
        if (msgs.All(mm => mm.Length == msgs[0].Length))
        {
            var validFixed = new bool[n];
            Assert.Equal(bad, Ed25519Batch.Verify(pkAll, sigAll, msgAll, msgs[0].Length, validFixed));
            Assert.Equal(valid, validFixed);
            var validFixedPar = new bool[n];
            Assert.Equal(bad, Ed25519Batch.VerifyParallel(pkAll, sigAll, msgAll, msgs[0].Length, validFixedPar));
            Assert.Equal(valid, validFixedPar);
        }
        return valid;
    }
}
