using System.Text;

namespace MesFast.Crypto.Tests;

public sealed class DomainHashTests
{
    [Fact]
    public void Tagged_hash_is_derive_key_mode_with_the_mes_context()
    {
        byte[] data = Encoding.ASCII.GetBytes("payload");
        var expected = new byte[32];
        Blake3.DeriveKey("mes/tx/v1", data, expected);
        Assert.Equal(expected, DomainHash.Compute(DomainHash.Tx, data).ToArray());
    }

    [Fact]
    public void Tags_separate_domains()
    {
        byte[] data = new byte[40];
        Assert.NotEqual(DomainHash.Compute(DomainHash.MerkleLeaf, data), DomainHash.Compute(DomainHash.MerkleNode, data));
        Assert.NotEqual(DomainHash.Compute(DomainHash.Tx, data), Blake3.Hash(data));
    }

    [Fact]
    public void Hash64_is_the_little_endian_prefix_of_the_full_hash()
    {
        byte[] data = Encoding.ASCII.GetBytes("key");
        Hash32 full = DomainHash.Compute(DomainHash.Ssa, data);
        Assert.Equal(BitConverter.ToUInt64(full.Span), DomainHash.Compute64(DomainHash.Ssa, data));
    }
}
