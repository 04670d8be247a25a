using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// The last compression of a (sub)tree, not yet performed: either its chaining value is taken (a child
/// of a parent node) or, at the root, it is run with the ROOT flag for any number of output blocks
/// (BLAKE3 spec §2.6, the extendable output).
/// </summary>
internal struct Blake3Output
{
    public Blake3Words InputCv;
    public Blake3Block Block;
    public ulong Counter;
    public uint BlockLength;
    public uint Flags;

    public readonly Blake3Words ChainingValue()
    {
        Blake3Words cv = InputCv;
        Blake3Compress.InPlace(ref cv, Block, Counter, BlockLength, Flags);
        return cv;
    }

    /// <summary>Writes root output bytes starting at byte <paramref name="seek"/> of the output stream.</summary>
    [SkipLocalsInit]
    public readonly void RootBytes(ulong seek, Span<byte> output)
    {
        Span<byte> blockBytes = stackalloc byte[Blake3Constants.BlockLength];
        ulong blockCounter = seek / Blake3Constants.BlockLength;
        int offset = (int)(seek % Blake3Constants.BlockLength);
        while (!output.IsEmpty)
        {
            // The lanes need two whole blocks at least; checking here spares short outputs the call and its thread-static read.
            if (offset == 0 && output.Length >= 2 * Blake3Constants.BlockLength)
            {
                // Many whole blocks: one output-block counter per SIMD lane.
                int wide = Blake3Chunks.RootBlocks(this, blockCounter, output);
                if (wide > 0)
                {
                    output = output[(wide * Blake3Constants.BlockLength)..];
                    blockCounter += (ulong)wide;
                    continue;
                }
            }

            Blake3Compress.Xof(InputCv, Block, blockCounter, BlockLength, Flags | Blake3Constants.Root, blockBytes);
            int take = Math.Min(Blake3Constants.BlockLength - offset, output.Length);
            blockBytes.Slice(offset, take).CopyTo(output);
            output = output[take..];
            offset = 0;
            blockCounter++;
        }
    }

    public static Blake3Output Parent(ReadOnlySpan<uint> leftCv, ReadOnlySpan<uint> rightCv, in Blake3Key key)
    {
        var o = new Blake3Output { InputCv = key.Words, Counter = 0, BlockLength = Blake3Constants.BlockLength, Flags = key.Flags | Blake3Constants.Parent };
        Span<byte> block = o.Block;
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * i)..], leftCv[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(block[(32 + 4 * i)..], rightCv[i]);
        }
        return o;
    }
}
