using MesFast.Core.Codec;
using MesFast.Core.Types;
using MesFast.Crypto;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

public class CommitCertCodecTests(ITestOutputHelper output)
{
    private static CommitCertificate Certificate(bool[] signers, int signatures) => new()
    {
        Height = 7,
        View = 1,
        Block = new Hash32(TxCodecTests.Filled(32, 0xBB)),
        Signers = signers,
        Signatures = new Signature64[signatures],
    };

    [Fact]
    public void Random_certificates_round_trip_and_views_agree_with_models()
    {
        int seed = TestSeeds.Get(5001);
        output.WriteLine($"seed {seed}");
        var rnd = new RandomObjects(new Random(seed));
        for (int n = 0; n < 300; n++)
        {
            var cert = rnd.Certificate();
            byte[] bytes = cert.ToBytes();
            Assert.Equal(cert.EncodedLength, bytes.Length);
            Assert.True(CommitCertView.TryDecode(bytes, out var view, out var failure), failure.ToString());
            Assert.Equal((cert.Height, cert.View, cert.Block), (view.Height, view.View, view.Block));
            Assert.Equal(cert.Signers.Length, view.SignerBitCount);
            for (int i = 0; i < cert.Signers.Length; i++) Assert.Equal(cert.Signers[i], view.IsSigner(i));
            Assert.Equal(cert.Signatures.Length, view.SignatureCount);
            for (int k = 0; k < cert.Signatures.Length; k++) Assert.Equal(cert.Signatures[k].Span.ToArray(), view.Signature(k).ToArray());
            Assert.Equal(bytes, CommitCertificate.FromView(view).ToBytes());
        }
    }

    [Fact]
    public void Bitmap_layout_is_pinned()
    {
        // 10 witnesses, signers 0, 3 and 9: byte 0 = 0b0000_1001, byte 1 = 0b0000_0010.
        var signers = new bool[10];
        signers[0] = signers[3] = signers[9] = true;
        byte[] bytes = Certificate(signers, 3).ToBytes();
        Assert.Equal("0a" + "0902" + "03", Convert.ToHexStringLower(bytes.AsSpan(44, 4)));
        Assert.True(CommitCertView.TryDecode(bytes, out var view, out var f), f.ToString());
        Assert.True(view.IsSigner(9) && !view.IsSigner(8));
    }

    [Fact]
    public void Bitmap_with_high_padding_bit_set_rejected()
    {
        var signers = new bool[10];
        signers[0] = true;
        byte[] bytes = Certificate(signers, 1).ToBytes();
        // Byte 1 of the bitmap (offset 44 + 1 + 1) holds bits 8..9; bit 10 is padding.
        bytes[46] |= 1 << 2;
        Assert.False(CommitCertView.TryDecode(bytes, out _, out var f));
        Assert.Equal("signers: non-zero padding bits at offset 46", f.ToString());
    }

    [Fact]
    public void Full_last_byte_has_no_padding()
    {
        var signers = new bool[16];
        Array.Fill(signers, true);
        Assert.True(CommitCertView.TryDecode(Certificate(signers, 16).ToBytes(), out var view, out var f), f.ToString());
        Assert.Equal(16, view.SignatureCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(0)]
    public void Signature_count_not_equal_to_popcount_rejected(int signatures)
    {
        var signers = new bool[5];
        signers[1] = signers[4] = true; // popcount 2
        byte[] bytes = Certificate(signers, signatures).ToBytes();
        Assert.False(CommitCertView.TryDecode(bytes, out _, out var f));
        Assert.Equal((DecodeError.SignatureCountMismatch, "signatures", 46), (f.Error, f.Field, f.Offset));
    }

    [Fact]
    public void Signer_bitmap_wider_than_limit_rejected()
    {
        byte[] bytes = Certificate(new bool[ProtocolLimits.MaxWitnessCount + 1], 0).ToBytes();
        Assert.False(CommitCertView.TryDecode(bytes, out _, out var f));
        Assert.Equal((DecodeError.CountOverLimit, "signers"), (f.Error, f.Field));
        Assert.True(CommitCertView.TryDecode(Certificate(new bool[ProtocolLimits.MaxWitnessCount], 0).ToBytes(), out _, out _));
    }
}
