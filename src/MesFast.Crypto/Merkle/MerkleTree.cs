using System.Buffers;
using System.Runtime.InteropServices;

namespace MesFast.Crypto;

/// <summary>
/// The transaction Merkle tree of a block (DESIGN §4). Leaf <c>i</c> is <c>H(merkle-leaf, txid_i)</c>; each level is
/// built by hashing adjacent pairs left to right, <c>H(merkle-node, left ‖ right)</c>; an odd node at the end of a
/// level is promoted unchanged to the next level (never duplicated, which rules out the CVE-2012-2459 ambiguity of
/// Bitcoin's duplicate-last-node rule). The root of one leaf is that leaf's hash; the root of no leaves is
/// <see cref="Hash32.Zero"/> (all-zero 32 bytes; a block without transactions).
/// </summary>
public static class MerkleTree
{
    /// <summary><c>H(merkle-leaf, txid)</c>.</summary>
    public static Hash32 LeafHash(in Hash32 txid) => DomainHash.Compute(DomainHash.MerkleLeaf, txid.Span);

    /// <summary><c>H(merkle-node, left ‖ right)</c>.</summary>
    public static Hash32 NodeHash(in Hash32 left, in Hash32 right)
    {
        Span<byte> pair = stackalloc byte[2 * Hash32.Size];
        left.CopyTo(pair);
        right.CopyTo(pair[Hash32.Size..]);
        return DomainHash.Compute(DomainHash.MerkleNode, pair);
    }

    /// <summary>
    /// The root over <paramref name="txids"/> in block order. Each level is hashed with <see cref="Blake3Batch"/>
    /// (many nodes per SIMD pass); allocation-free apart from pooled scratch buffers.
    /// </summary>
    public static Hash32 ComputeRoot(ReadOnlySpan<Hash32> txids)
    {
        if (txids.Length == 0) return Hash32.Zero;
        int n = txids.Length;
        Hash32[] rentedA = ArrayPool<Hash32>.Shared.Rent(n);
        Hash32[] rentedB = ArrayPool<Hash32>.Shared.Rent(n / 2 + 1);
        int[] offsets = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            Span<Hash32> level = rentedA.AsSpan(0, n);
            HashFixedLength(DomainHash.MerkleLeaf, MemoryMarshal.AsBytes(txids), Hash32.Size, offsets, level);
            Span<Hash32> next = rentedB;
            int width = n;
            while (width > 1)
            {
                // Level nodes are contiguous, so pair i is exactly the 64 bytes at 64·i: hash them as messages.
                int pairs = width / 2;
                HashFixedLength(DomainHash.MerkleNode, MemoryMarshal.AsBytes(level[..(2 * pairs)]), 2 * Hash32.Size, offsets, next[..pairs]);
                if ((width & 1) != 0) next[pairs] = level[width - 1]; // promote the odd last node
                width -= pairs;
                Span<Hash32> swap = level;
                level = next;
                next = swap;
            }
            return level[0];
        }
        finally
        {
            ArrayPool<Hash32>.Shared.Return(rentedA);
            ArrayPool<Hash32>.Shared.Return(rentedB);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>Hashes <c>output.Length</c> consecutive messages of <paramref name="length"/> bytes each in one batch.</summary>
    private static void HashFixedLength(in Blake3Key mode, ReadOnlySpan<byte> messages, int length, int[] offsetsScratch, Span<Hash32> output)
    {
        Span<int> offsets = offsetsScratch.AsSpan(0, output.Length + 1);
        for (int i = 0; i < offsets.Length; i++) offsets[i] = i * length;
        Blake3Batch.Hash(mode, messages, offsets, output);
    }

    /// <summary>The proof that <c>txids[index]</c> is in the tree: its sibling at each level where it has one, bottom up.</summary>
    public static MerkleProof CreateProof(ReadOnlySpan<Hash32> txids, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, txids.Length);
        var siblings = new Hash32[MerkleProof.PathLength(txids.Length, index)];
        Hash32[] rented = ArrayPool<Hash32>.Shared.Rent(txids.Length);
        try
        {
            Span<Hash32> level = rented.AsSpan(0, txids.Length);
            for (int i = 0; i < txids.Length; i++) level[i] = LeafHash(txids[i]);
            int width = txids.Length, position = index, depth = 0;
            while (width > 1)
            {
                int sibling = position ^ 1;
                if (sibling < width) siblings[depth++] = level[sibling]; // else: promoted, no sibling at this level
                width = ReduceLevel(level[..width]);
                position >>= 1;
            }
            return new MerkleProof(txids.Length, index, siblings);
        }
        finally
        {
            ArrayPool<Hash32>.Shared.Return(rented);
        }
    }

    /// <summary>Replaces a level by the next one in its first ⌈n/2⌉ slots (pair i reads slots 2i, 2i+1 ≥ i); returns its width.</summary>
    private static int ReduceLevel(Span<Hash32> level)
    {
        int pairs = level.Length / 2;
        for (int i = 0; i < pairs; i++) level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
        if ((level.Length & 1) != 0) level[pairs] = level[level.Length - 1]; // promote the odd last node
        return level.Length - pairs; // ⌈n/2⌉ without overflow
    }
}
