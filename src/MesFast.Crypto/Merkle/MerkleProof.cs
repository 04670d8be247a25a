using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace MesFast.Crypto;

/// <summary>
/// Inclusion proof of one transaction in a block's Merkle tree (DESIGN §4): leaf index, leaf count and the sibling
/// hashes bottom up, one per level where the node has a real sibling (a promoted odd last node has none, so the
/// path length is fully determined by count and index — see <see cref="PathLength"/>).
/// <para>Canonical encoding: <c>u32 LE leafCount ‖ u32 LE leafIndex ‖ u8 pathLength ‖ pathLength × 32-byte hash</c>.</para>
/// </summary>
public sealed class MerkleProof
{
    public const int HeaderSize = 4 + 4 + 1;

    private readonly Hash32[] _siblings;

    /// <exception cref="ArgumentException">the index is out of range or the path length is not the one implied.</exception>
    public MerkleProof(int leafCount, int leafIndex, ReadOnlySpan<Hash32> siblings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, leafCount);
        int expected = PathLength(leafCount, leafIndex);
        if (siblings.Length != expected)
            throw new ArgumentException($"leaf {leafIndex} of {leafCount} has {expected} siblings, got {siblings.Length}", nameof(siblings));
        LeafCount = leafCount;
        LeafIndex = leafIndex;
        _siblings = siblings.ToArray();
    }

    public int LeafCount { get; }

    public int LeafIndex { get; }

    /// <summary>Sibling hashes, bottom up.</summary>
    public ReadOnlySpan<Hash32> Siblings => _siblings;

    /// <summary>Size of <see cref="Encode"/>'s output.</summary>
    public int EncodedLength => HeaderSize + _siblings.Length * Hash32.Size;

    /// <summary>
    /// Number of real siblings of leaf <paramref name="index"/> in a tree of <paramref name="count"/> leaves: one per
    /// level, except levels where the node is the odd last one and is promoted. At most 31 for an <c>int</c> count.
    /// </summary>
    public static int PathLength(int count, int index)
    {
        int length = 0;
        for (int width = count, position = index; width > 1; width -= width / 2, position >>= 1)
            if ((position ^ 1) < width) length++;
        return length;
    }

    /// <summary>The root this proof implies for <paramref name="txid"/>.</summary>
    public Hash32 ComputeRoot(in Hash32 txid)
    {
        Hash32 node = MerkleTree.LeafHash(txid);
        int depth = 0;
        for (int width = LeafCount, position = LeafIndex; width > 1; width -= width / 2, position >>= 1)
        {
            int sibling = position ^ 1;
            if (sibling >= width) continue; // promoted unchanged
            node = (position & 1) == 0 ? MerkleTree.NodeHash(node, _siblings[depth]) : MerkleTree.NodeHash(_siblings[depth], node);
            depth++;
        }
        return node;
    }

    /// <summary>Whether <paramref name="txid"/> at <see cref="LeafIndex"/> of <see cref="LeafCount"/> leaves gives <paramref name="root"/>.</summary>
    public bool Verify(in Hash32 txid, in Hash32 root) => ComputeRoot(txid) == root;

    /// <summary>Writes the canonical encoding; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
            throw new ArgumentException($"destination needs {EncodedLength} bytes, has {destination.Length}", nameof(destination));
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)LeafCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)LeafIndex);
        destination[8] = (byte)_siblings.Length;
        for (int i = 0; i < _siblings.Length; i++) _siblings[i].CopyTo(destination[(HeaderSize + i * Hash32.Size)..]);
        return EncodedLength;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Decodes the canonical encoding; every byte string has at most one valid reading.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out MerkleProof? proof, out MerkleProofError error)
    {
        proof = null;
        if (encoded.Length < HeaderSize)
        {
            error = MerkleProofError.Truncated;
            return false;
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(encoded[4..]);
        int pathLength = encoded[8];
        if (count > int.MaxValue)
        {
            error = MerkleProofError.LeafCountTooLarge;
            return false;
        }
        if (index >= count)
        {
            error = MerkleProofError.IndexOutOfRange;
            return false;
        }
        if (pathLength != PathLength((int)count, (int)index))
        {
            error = MerkleProofError.PathLengthMismatch;
            return false;
        }
        int expectedLength = HeaderSize + pathLength * Hash32.Size;
        if (encoded.Length < expectedLength)
        {
            error = MerkleProofError.Truncated;
            return false;
        }
        if (encoded.Length > expectedLength)
        {
            error = MerkleProofError.TrailingBytes;
            return false;
        }
        var siblings = new Hash32[pathLength];
        for (int i = 0; i < pathLength; i++) siblings[i] = new Hash32(encoded.Slice(HeaderSize + i * Hash32.Size, Hash32.Size));
        proof = new MerkleProof((int)count, (int)index, siblings);
        error = MerkleProofError.None;
        return true;
    }

    /// <summary>Decodes or throws <see cref="FormatException"/> with the reason.</summary>
    public static MerkleProof Decode(ReadOnlySpan<byte> encoded)
        => TryDecode(encoded, out MerkleProof? proof, out MerkleProofError error)
            ? proof
            : throw new FormatException($"invalid Merkle proof encoding: {error}");
}
