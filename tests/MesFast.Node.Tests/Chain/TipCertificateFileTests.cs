using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Node.Chain;

namespace MesFast.Node.Tests.Chain;

/// <summary>
/// The tip certificate is written before the block log commits its block, so a crash between the two must leave the
/// previous tip's certificate readable; a torn write must never yield a certificate.
/// </summary>
public sealed class TipCertificateFileTests
{
    private static Hash32 BlockHash(ulong height) => Blake3.Hash(BitConverter.GetBytes(height));

    private static Signature64 Signature(byte fill) => new(Enumerable.Repeat(fill, 64).ToArray());

    private static CommitCertificate Certificate(ulong height, byte fill) => new()
    {
        Height = height,
        View = (uint)(height % 3),
        Block = BlockHash(height),
        Signers = [true, false, true, true],
        Signatures = [Signature(fill), Signature((byte)(fill + 1)), Signature((byte)(fill + 2))],
    };

    [Fact]
    public void After_writing_the_next_tips_certificate_the_previous_tips_is_still_read()
    {
        using var dir = new TempDirectory();
        for (ulong h = 1; h <= 6; h++)
        {
            var written = Certificate(h, (byte)h);
            TipCertificateFile.Write(dir.Path, written);
            // Crash here, before the log commits block h: the log's tip is h - 1 and must still be certified.
            if (h > 1)
            {
                Assert.True(TipCertificateFile.TryRead(dir.Path, h - 1, BlockHash(h - 1), out var previous));
                Assert.Equal(Certificate(h - 1, (byte)(h - 1)).ToBytes(), previous.ToBytes());
            }
            Assert.True(TipCertificateFile.TryRead(dir.Path, h, BlockHash(h), out var current));
            Assert.Equal(written.ToBytes(), current.ToBytes());
            // Older tips are gone (their certificates are inside the blocks after them), and a wrong hash never matches.
            if (h > 2) Assert.False(TipCertificateFile.TryRead(dir.Path, h - 2, BlockHash(h - 2), out _));
            Assert.False(TipCertificateFile.TryRead(dir.Path, h, BlockHash(h + 100), out _));
        }
    }

    [Fact]
    public void A_torn_or_damaged_slot_gives_no_certificate()
    {
        using var dir = new TempDirectory();
        var rng = new Random(5);
        var first = Certificate(9, 0x10);
        var second = Certificate(11, 0x40); // same slot as 9
        TipCertificateFile.Write(dir.Path, first);
        byte[] before = File.ReadAllBytes(TipCertificateFile.SlotPath(dir.Path, 9));
        TipCertificateFile.Write(dir.Path, second);
        byte[] after = File.ReadAllBytes(TipCertificateFile.SlotPath(dir.Path, 11));
        Assert.Equal(before.Length, after.Length);
        for (int trial = 0; trial < 200; trial++)
        {
            // A write cut short: a prefix of the new content over the old, or a flipped byte, or a truncated file.
            byte[] torn = (byte[])before.Clone();
            int cut = rng.Next(1, after.Length);
            after.AsSpan(0, cut).CopyTo(torn);
            if (trial % 3 == 1) torn[rng.Next(torn.Length)] ^= (byte)(1 << rng.Next(8));
            if (trial % 3 == 2) torn = torn[..rng.Next(torn.Length)];
            if (torn.AsSpan().SequenceEqual(after) || torn.AsSpan().SequenceEqual(before)) continue;
            File.WriteAllBytes(TipCertificateFile.SlotPath(dir.Path, 11), torn);
            Assert.False(TipCertificateFile.TryRead(dir.Path, 11, BlockHash(11), out _), $"trial {trial}");
            Assert.False(TipCertificateFile.TryRead(dir.Path, 9, BlockHash(9), out _), $"trial {trial}");
        }
    }

    [Fact]
    public void The_one_file_layout_of_earlier_versions_is_still_read()
    {
        using var dir = new TempDirectory();
        var legacy = Certificate(20, 0x22);
        File.WriteAllBytes(Path.Combine(dir.Path, TipCertificateFile.LegacyFileName), legacy.ToBytes());
        Assert.True(TipCertificateFile.TryRead(dir.Path, 20, BlockHash(20), out var read));
        Assert.Equal(legacy.ToBytes(), read.ToBytes());
        Assert.False(TipCertificateFile.TryRead(dir.Path, 21, BlockHash(21), out _));
    }
}
