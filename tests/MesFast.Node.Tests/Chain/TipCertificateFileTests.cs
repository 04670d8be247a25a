using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Node.Chain;

namespace MesFast.Node.Tests.Chain;

/// <summary>The tip certificate file of earlier versions is still read on recovery, and only for the block it certifies.</summary>
public sealed class TipCertificateFileTests
{
    private static Hash32 BlockHash(ulong height) => Blake3.Hash(BitConverter.GetBytes(height));

    [Fact]
    public void The_file_of_earlier_versions_is_read_for_its_block_only()
    {
        using var dir = new TempDirectory();
        var legacy = new CommitCertificate
        {
            Height = 20,
            View = 1,
            Block = BlockHash(20),
            Signers = [true, true, false, true],
            Signatures = [new Signature64(new byte[64]), new Signature64(Enumerable.Repeat((byte)7, 64).ToArray()), new Signature64(new byte[64])],
        };
        Assert.False(TipCertificateFile.TryRead(dir.Path, 20, BlockHash(20), out _)); // no file
        File.WriteAllBytes(Path.Combine(dir.Path, TipCertificateFile.FileName), legacy.ToBytes());
        Assert.True(TipCertificateFile.TryRead(dir.Path, 20, BlockHash(20), out var read));
        Assert.Equal(legacy.ToBytes(), read.ToBytes());
        Assert.False(TipCertificateFile.TryRead(dir.Path, 21, BlockHash(21), out _));
        Assert.False(TipCertificateFile.TryRead(dir.Path, 20, BlockHash(21), out _));
        File.WriteAllBytes(Path.Combine(dir.Path, TipCertificateFile.FileName), legacy.ToBytes()[..^5]);
        Assert.False(TipCertificateFile.TryRead(dir.Path, 20, BlockHash(20), out _)); // damaged
    }
}
