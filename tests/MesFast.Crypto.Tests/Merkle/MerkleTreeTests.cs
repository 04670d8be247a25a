namespace MesFast.Crypto.Tests;

/// <summary>The block transaction tree (DESIGN §4): odd last node promoted, never duplicated.</summary>
public sealed class MerkleTreeTests
{
    private static Hash32 Tx(int i)
    {
        var bytes = new byte[32];
        Array.Fill(bytes, (byte)i);
        return new Hash32(bytes);
    }

    private static Hash32[] Txs(int n) => Enumerable.Range(0, n).Select(Tx).ToArray();

    private static Hash32 L(int i) => DomainHash.Compute(DomainHash.MerkleLeaf, Tx(i).Span);

    private static Hash32 N(Hash32 left, Hash32 right) =>
        DomainHash.Compute(DomainHash.MerkleNode, [.. left.Span, .. right.Span]);

    /// <summary>Independent reference: recursive, one level per call, with lists.</summary>
    private static Hash32 RecursiveRoot(List<Hash32> level)
    {
        if (level.Count == 1) return level[0];
        var next = new List<Hash32>();
        for (int i = 0; i + 1 < level.Count; i += 2) next.Add(N(level[i], level[i + 1]));
        if (level.Count % 2 == 1) next.Add(level[^1]);
        return RecursiveRoot(next);
    }

    private static Hash32 ReferenceRoot(Hash32[] txids) =>
        txids.Length == 0 ? Hash32.Zero : RecursiveRoot(txids.Select(t => DomainHash.Compute(DomainHash.MerkleLeaf, t.Span)).ToList());

    [Fact]
    public void Empty_tree_root_is_zero() => Assert.Equal(Hash32.Zero, MerkleTree.ComputeRoot([]));

    [Fact]
    public void Hand_built_trees_of_1_to_7_leaves()
    {
        Hash32 n01 = N(L(0), L(1)), n23 = N(L(2), L(3)), n45 = N(L(4), L(5));
        Hash32[] expected =
        [
            L(0),
            n01,
            N(n01, L(2)),
            N(n01, n23),
            N(N(n01, n23), L(4)),
            N(N(n01, n23), n45),
            N(N(n01, n23), N(n45, L(6))),
        ];
        for (int n = 1; n <= 7; n++)
        {
            Assert.Equal(expected[n - 1], MerkleTree.ComputeRoot(Txs(n)));
            Assert.Equal(expected[n - 1], ReferenceRoot(Txs(n)));
        }
    }

    [Theory]
    // b3sum --derive-key "mes/merkle-leaf/v1" / "mes/merkle-node/v1" with a Python tree builder; txid i = 32 bytes of value i.
    [InlineData(1, "367e8226b457ec29b4c774f15afee90903c5d89cbcfd83721dde33f074fc8fa0")]
    [InlineData(2, "afceaad8e7a648b93a24afc892a64dff19573075e45b08bcb833eb910d8896aa")]
    [InlineData(3, "3fa132b150026d5c69d30268350e5ae7eade3a4eac1fd32f5ec894998a06b713")]
    [InlineData(5, "7a4e59e4626977b81f9350aaaf8f390fc2d7312a22f3b38cf0ad059999b80960")]
    public void Known_answer_roots(int n, string rootHex) => Assert.Equal(Hash32.Parse(rootHex), MerkleTree.ComputeRoot(Txs(n)));

    [Fact]
    public void Odd_node_is_promoted_not_duplicated()
    {
        // Bitcoin's rule would make [a, b, c] and [a, b, c, c] share a root (CVE-2012-2459); here they differ.
        Hash32[] three = Txs(3);
        Hash32[] four = [.. three, three[2]];
        Assert.NotEqual(MerkleTree.ComputeRoot(three), MerkleTree.ComputeRoot(four));
        Assert.Equal(N(N(L(0), L(1)), L(2)), MerkleTree.ComputeRoot(three));
    }

    [Fact]
    public void Random_trees_match_the_reference()
    {
        var rng = new Random(4);
        for (int n = 1; n <= 300; n += rng.Next(1, 7))
        {
            Hash32[] txids = RandomTxids(rng, n);
            Assert.Equal(ReferenceRoot(txids), MerkleTree.ComputeRoot(txids));
        }
    }

    [Fact]
    public void Every_proof_of_every_leaf_of_random_trees_verifies()
    {
        var rng = new Random(300);
        int[] sizes = [.. Enumerable.Range(1, 40), 63, 64, 65, 127, 128, 129, 255, 256, 257, 299, 300, .. Enumerable.Range(0, 10).Select(_ => rng.Next(1, 301))];
        foreach (int n in sizes)
        {
            Hash32[] txids = RandomTxids(rng, n);
            Hash32 root = MerkleTree.ComputeRoot(txids);
            for (int i = 0; i < n; i++)
            {
                MerkleProof proof = MerkleTree.CreateProof(txids, i);
                Assert.Equal(n, proof.LeafCount);
                Assert.Equal(i, proof.LeafIndex);
                Assert.Equal(MerkleProof.PathLength(n, i), proof.Siblings.Length);
                Assert.True(proof.Verify(txids[i], root), $"leaf {i} of {n}");
            }
        }
    }

    [Fact]
    public void Path_skips_promoted_levels()
    {
        // 5 leaves: leaf 4 is promoted twice, then pairs with the root of the first four.
        Assert.Equal(1, MerkleProof.PathLength(5, 4));
        Assert.Equal(3, MerkleProof.PathLength(5, 0));
        Assert.Equal(0, MerkleProof.PathLength(1, 0));
        MerkleProof proof = MerkleTree.CreateProof(Txs(5), 4);
        Assert.Equal(N(N(L(0), L(1)), N(L(2), L(3))), proof.Siblings[0]);
    }

    [Fact]
    public void Wrong_txid_index_sibling_or_root_fail()
    {
        var rng = new Random(7);
        Hash32[] txids = RandomTxids(rng, 13);
        Hash32 root = MerkleTree.ComputeRoot(txids);
        MerkleProof proof = MerkleTree.CreateProof(txids, 6);
        Assert.True(proof.Verify(txids[6], root));
        Assert.False(proof.Verify(txids[5], root));
        Assert.False(proof.Verify(txids[6], MerkleTree.ComputeRoot(txids.AsSpan(0, 12))));
        Assert.False(proof.Verify(txids[6], Hash32.Zero));

        // Same siblings claimed for index 7: the left/right order flips, so the root differs.
        var wrongIndex = new MerkleProof(13, 7, proof.Siblings);
        Assert.False(wrongIndex.Verify(txids[6], root));

        for (int s = 0; s < proof.Siblings.Length; s++)
        {
            for (int bit = 0; bit < 256; bit += 37)
            {
                Hash32[] tampered = proof.Siblings.ToArray();
                byte[] bytes = tampered[s].ToArray();
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                tampered[s] = new Hash32(bytes);
                Assert.False(new MerkleProof(13, 6, tampered).Verify(txids[6], root));
            }
        }
    }

    [Fact]
    public void Leaf_hash_cannot_pass_as_a_txid()
    {
        // A one-leaf tree's root is the leaf hash, not the txid: domain tags keep the levels apart.
        Hash32[] txids = Txs(2);
        Hash32 root = MerkleTree.ComputeRoot(txids);
        Assert.NotEqual(txids[0], MerkleTree.ComputeRoot(txids.AsSpan(0, 1)));
        Assert.False(new MerkleProof(1, 0, []).Verify(N(L(0), L(1)), root));
    }

    [Fact]
    public void Proof_construction_is_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.CreateProof(Txs(3), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.CreateProof(Txs(3), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.CreateProof([], 0));
        Assert.Throws<ArgumentException>(() => new MerkleProof(5, 4, new Hash32[2]));
    }

    internal static Hash32[] RandomTxids(Random rng, int n)
    {
        var txids = new Hash32[n];
        var bytes = new byte[32];
        for (int i = 0; i < n; i++)
        {
            rng.NextBytes(bytes);
            txids[i] = new Hash32(bytes);
        }
        return txids;
    }
}
