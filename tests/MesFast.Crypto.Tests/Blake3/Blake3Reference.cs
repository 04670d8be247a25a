using System.Buffers.Binary;

namespace MesFast.Crypto.Tests;

/// <summary>
/// An independent, deliberately naive BLAKE3 for differential tests: the tree of spec §2.5 built recursively (left
/// subtree = largest power-of-two number of chunks that leaves input for the right), every compression through the
/// scalar <see cref="Blake3Portable.Compress"/>, output blocks one by one (§2.6). Shares none of the hasher's logic.
/// </summary>
internal static class Blake3Reference
{
    public static byte[] Output(in Blake3Key mode, ReadOnlySpan<byte> input, int outLength, ulong seek = 0)
    {
        (Blake3Words cv, byte[] block, ulong counter, uint length, uint flags) = Node(mode, input, 0);
        var output = new byte[outLength];
        var words = new uint[16];
        var blockBytes = new byte[64];
        for (int i = 0; i < outLength; i++)
        {
            ulong position = seek + (ulong)i;
            if (i == 0 || position % 64 == 0)
            {
                Blake3Portable.Compress(cv, block, position / 64, length, flags | Blake3Constants.Root, words);
                for (int w = 0; w < 16; w++) BinaryPrimitives.WriteUInt32LittleEndian(blockBytes.AsSpan(4 * w), words[w]);
            }
            output[i] = blockBytes[position % 64];
        }
        return output;
    }

    /// <summary>The not-yet-finalised last compression of the subtree over <paramref name="input"/>.</summary>
    private static (Blake3Words Cv, byte[] Block, ulong Counter, uint Length, uint Flags) Node(in Blake3Key mode, ReadOnlySpan<byte> input, ulong firstChunk)
    {
        if (input.Length <= 1024)
        {
            Blake3Words cv = mode.Words;
            int blocks = Math.Max(1, (input.Length + 63) / 64);
            for (int b = 0; b < blocks - 1; b++)
                Blake3Portable.CompressInPlace(ref cv, input.Slice(64 * b, 64), firstChunk, 64, mode.Flags | (b == 0 ? Blake3Constants.ChunkStart : 0));
            var last = new byte[64];
            input[(64 * (blocks - 1))..].CopyTo(last);
            uint flags = mode.Flags | Blake3Constants.ChunkEnd | (blocks == 1 ? Blake3Constants.ChunkStart : 0);
            return (cv, last, firstChunk, (uint)(input.Length - 64 * (blocks - 1)), flags);
        }
        long leftChunks = 1;
        while (leftChunks * 2 * 1024 < input.Length) leftChunks *= 2;
        int leftLength = (int)(leftChunks * 1024);
        Blake3Words left = ChainingValue(Node(mode, input[..leftLength], firstChunk));
        Blake3Words right = ChainingValue(Node(mode, input[leftLength..], firstChunk + (ulong)leftChunks));
        var parentBlock = new byte[64];
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(parentBlock.AsSpan(4 * i), left[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(parentBlock.AsSpan(32 + 4 * i), right[i]);
        }
        return (mode.Words, parentBlock, 0, 64, mode.Flags | Blake3Constants.Parent);
    }

    private static Blake3Words ChainingValue((Blake3Words Cv, byte[] Block, ulong Counter, uint Length, uint Flags) node)
    {
        Blake3Words cv = node.Cv;
        Blake3Portable.CompressInPlace(ref cv, node.Block, node.Counter, node.Length, node.Flags);
        return cv;
    }
}
