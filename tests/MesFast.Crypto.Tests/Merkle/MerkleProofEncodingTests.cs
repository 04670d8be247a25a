using System.Buffers.Binary;

namespace MesFast.Crypto.Tests;

/// <summary>Canonical proof bytes: u32 LE count ‖ u32 LE index ‖ u8 path length ‖ 32-byte siblings.</summary>
public sealed class MerkleProofEncodingTests
{
    private static byte[] Header(uint count, uint index, byte pathLength, int hashes)
    {
        var bytes = new byte[MerkleProof.HeaderSize + hashes * 32];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, count);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), index);
        bytes[8] = pathLength;
        for (int i = MerkleProof.HeaderSize; i < bytes.Length; i++) bytes[i] = (byte)i;
        return bytes;
    }

    [Fact]
    public void Layout_is_count_index_length_hashes()
    {
        Hash32[] txids = MerkleTreeTests.RandomTxids(new Random(1), 5);
        MerkleProof proof = MerkleTree.CreateProof(txids, 2);
        byte[] bytes = proof.ToBytes();
        Assert.Equal(9 + 3 * 32, bytes.Length);
        Assert.Equal(new byte[] { 5, 0, 0, 0, 2, 0, 0, 0, 3 }, bytes[..9]);
        for (int i = 0; i < 3; i++) Assert.Equal(proof.Siblings[i].ToArray(), bytes[(9 + 32 * i)..(9 + 32 * (i + 1))]);
    }

    [Fact]
    public void Every_proof_round_trips()
    {
        var rng = new Random(9);
        foreach (int n in new[] { 1, 2, 3, 7, 8, 9, 100, 257 })
        {
            Hash32[] txids = MerkleTreeTests.RandomTxids(rng, n);
            Hash32 root = MerkleTree.ComputeRoot(txids);
            for (int i = 0; i < n; i++)
            {
                byte[] bytes = MerkleTree.CreateProof(txids, i).ToBytes();
                Assert.True(MerkleProof.TryDecode(bytes, out MerkleProof? back, out MerkleProofError error), error.ToString());
                Assert.Equal(i, back.LeafIndex);
                Assert.Equal(n, back.LeafCount);
                Assert.True(back.Verify(txids[i], root));
                Assert.Equal(bytes, back.ToBytes());
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Short_header_is_truncated(int length) => AssertError(new byte[length], MerkleProofError.Truncated);

    [Fact]
    public void Missing_hash_bytes_are_truncated()
    {
        byte[] bytes = Header(5, 0, 3, 3);
        AssertError(bytes[..^1], MerkleProofError.Truncated);
        AssertError(bytes[..^32], MerkleProofError.Truncated);
    }

    [Fact]
    public void Extra_bytes_are_trailing() => AssertError([.. Header(5, 0, 3, 3), 0], MerkleProofError.TrailingBytes);

    [Theory]
    [InlineData(5u, 5u)]
    [InlineData(5u, 0xffffffffu)]
    [InlineData(0u, 0u)]
    public void Index_at_or_past_count_is_rejected(uint count, uint index) =>
        AssertError(Header(count, index, 0, 0), MerkleProofError.IndexOutOfRange);

    [Fact]
    public void Count_above_int_max_is_rejected() => AssertError(Header(0x80000000u, 0, 31, 31), MerkleProofError.LeafCountTooLarge);

    [Theory]
    [InlineData(5u, 4u, 3)] // leaf 4 of 5 has one sibling
    [InlineData(5u, 0u, 1)] // leaf 0 of 5 has three
    [InlineData(1u, 0u, 1)] // a single leaf has none
    public void Path_length_must_match_count_and_index(uint count, uint index, byte pathLength) =>
        AssertError(Header(count, index, pathLength, pathLength), MerkleProofError.PathLengthMismatch);

    [Fact]
    public void Largest_tree_path_lengths_do_not_overflow()
    {
        // 2^31 − 1 leaves: 31 levels; the last (even-indexed) leaf is promoted once, then has a sibling on each of 30 levels.
        Assert.Equal(31, MerkleProof.PathLength(int.MaxValue, 0));
        Assert.Equal(30, MerkleProof.PathLength(int.MaxValue, int.MaxValue - 1));
        Assert.True(MerkleProof.TryDecode(Header(int.MaxValue, 0, 31, 31), out MerkleProof? proof, out _));
        Assert.Equal(31, proof.Siblings.Length);
        Assert.True(MerkleProof.TryDecode(Header(int.MaxValue, int.MaxValue - 1, 30, 30), out _, out _));
    }

    [Fact]
    public void Decode_throws_format_exception()
    {
        FormatException ex = Assert.Throws<FormatException>(() => MerkleProof.Decode(new byte[3]));
        Assert.Contains("Truncated", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertError(byte[] bytes, MerkleProofError expected)
    {
        Assert.False(MerkleProof.TryDecode(bytes, out MerkleProof? proof, out MerkleProofError error));
        Assert.Null(proof);
        Assert.Equal(expected, error);
    }
}
