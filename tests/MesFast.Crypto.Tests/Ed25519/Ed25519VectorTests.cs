using System.Text.Json;

namespace MesFast.Crypto.Tests;

public class Ed25519VectorTests
{
    private static void CheckCase(byte[] seed, byte[] pk, byte[] msg, byte[] sig)
    {
        var ourPk = new byte[32];
        Ed25519.PublicKeyFromSeed(seed, ourPk);
        Assert.Equal(pk, ourPk);
        var ourSig = new byte[64];
        Ed25519.Sign(seed, msg, ourSig);
        Assert.Equal(sig, ourSig);
        Assert.True(Ed25519.Verify(pk, msg, sig));
        // Flipped bits must be rejected.
        if (msg.Length > 0)
        {
            var m2 = (byte[])msg.Clone();
            m2[msg.Length / 2] ^= 0x04;
            Assert.False(Ed25519.Verify(pk, m2, sig));
        }
        var s2 = (byte[])sig.Clone();
        s2[5] ^= 0x01;
        Assert.False(Ed25519.Verify(pk, msg, s2));
        s2 = (byte[])sig.Clone();
        s2[40] ^= 0x10;
        Assert.False(Ed25519.Verify(pk, msg, s2));
        var k2 = (byte[])pk.Clone();
        k2[3] ^= 0x20;
        Assert.False(Ed25519.Verify(k2, msg, sig));
    }

    [Fact]
    public void Rfc8032_Vectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("ed25519_rfc8032.json")));
        int count = 0;
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            CheckCase(VectorFiles.Hex(v.GetProperty("secret_key").GetString()!), VectorFiles.Hex(v.GetProperty("public_key").GetString()!),
                VectorFiles.Hex(v.GetProperty("message").GetString()!), VectorFiles.Hex(v.GetProperty("signature").GetString()!));
            count++;
        }
        Assert.Equal(5, count);
    }

    [Fact]
    public void SignVectors_All256()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("ed25519_sign_vectors.json")));
        int count = 0;
        foreach (JsonElement v in doc.RootElement.EnumerateArray())
        {
            CheckCase(VectorFiles.Hex(v.GetProperty("seed").GetString()!), VectorFiles.Hex(v.GetProperty("public_key").GetString()!),
                VectorFiles.Hex(v.GetProperty("message").GetString()!), VectorFiles.Hex(v.GetProperty("signature").GetString()!));
            count++;
        }
        Assert.Equal(256, count);
    }

    [Fact]
    public void SignInput_All1024Lines()
    {
        string[] lines = File.ReadAllLines(VectorFiles.Path("ed25519_sign.input"));
        int count = 0;
        foreach (string line in lines)
        {
            if (line.Length == 0) continue;
            string[] f = line.Split(':');
            byte[] skpk = VectorFiles.Hex(f[0]);
            byte[] pk = VectorFiles.Hex(f[1]);
            byte[] msg = VectorFiles.Hex(f[2]);
            byte[] sigMsg = VectorFiles.Hex(f[3]);
            Assert.Equal(pk, skpk[32..]);
            Assert.Equal(msg, sigMsg[64..]);
            CheckCase(skpk[..32], pk, msg, sigMsg[..64]);
            count++;
        }
        Assert.Equal(1024, count);
    }

    [Fact]
    public void WrongLengths_ReturnFalse()
    {
        Assert.False(Ed25519.Verify(new byte[31], [], new byte[64]));
        Assert.False(Ed25519.Verify(new byte[32], [], new byte[63]));
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(new byte[31], [], new byte[64]));
    }

    [Fact]
    public void GenerateKey_SignVerify_RoundTrip()
    {
        var seed = new byte[32];
        var pk = new byte[32];
        Ed25519.GenerateKey(seed, pk);
        var pk2 = new byte[32];
        Ed25519.PublicKeyFromSeed(seed, pk2);
        Assert.Equal(pk, pk2);
        var sig = new byte[64];
        Ed25519.Sign(seed, "hello"u8, sig);
        Assert.True(Ed25519.Verify(pk, "hello"u8, sig));
        Assert.False(Ed25519.Verify(pk, "hellp"u8, sig));
    }
}
