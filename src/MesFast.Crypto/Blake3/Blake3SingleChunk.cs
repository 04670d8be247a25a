using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// Inputs of at most one chunk (1,024 bytes) are a single chunk that is also the root (spec §2.6): hashed here
/// without the incremental hasher's ~2 KiB state, which one-shot hashing of short messages (txids, tags) would
/// otherwise clear and copy on every call.
/// </summary>
internal static class Blake3SingleChunk
{
    /// <summary>
    /// The 32-byte hash of <paramref name="input"/> (length ≤ 1,024). The first 32 output bytes are the root compression's
    /// new chaining value (spec §2.6), so the last block is compressed in place like any other: no output block is
    /// built, stored and copied, which is most of the cost beside the compression itself for a one-block message.
    /// </summary>
    [SkipLocalsInit]
    public static Hash32 Hash(in Blake3Key mode, ReadOnlySpan<byte> input)
    {
        Blake3Words cv = mode.Words;
        ReadOnlySpan<byte> last = CompressAllButLast(mode, input, ref cv, out int blocks);
        Blake3Block lastBlock = default; // the zero padding of a short last block (spec §2.1)
        last.CopyTo(lastBlock);
        uint flags = mode.Flags | Blake3Constants.ChunkEnd | Blake3Constants.Root | (blocks == 1 ? Blake3Constants.ChunkStart : 0);
        Blake3Compress.InPlace(ref cv, lastBlock, 0, (uint)last.Length, flags);
        Span<byte> hash = stackalloc byte[Blake3Constants.OutLength];
        Blake3Portable.WriteWords(cv, hash);
        return new Hash32(hash);
    }

    /// <summary>The root output of <paramref name="input"/> (length ≤ 1,024), ready for <see cref="Blake3Output.RootBytes"/>.</summary>
    public static Blake3Output Output(in Blake3Key mode, ReadOnlySpan<byte> input)
    {
        Blake3Words cv = mode.Words;
        ReadOnlySpan<byte> last = CompressAllButLast(mode, input, ref cv, out int blocks);
        var output = new Blake3Output
        {
            InputCv = cv,
            Counter = 0,
            BlockLength = (uint)last.Length,
            Flags = mode.Flags | Blake3Constants.ChunkEnd | (blocks == 1 ? Blake3Constants.ChunkStart : 0),
        };
        last.CopyTo(output.Block);
        return output;
    }

    /// <summary>Compresses every block of the chunk but the last into <paramref name="cv"/>; returns the last block's bytes.</summary>
    private static ReadOnlySpan<byte> CompressAllButLast(in Blake3Key mode, ReadOnlySpan<byte> input, ref Blake3Words cv, out int blocks)
    {
        blocks = input.IsEmpty ? 1 : (input.Length + Blake3Constants.BlockLength - 1) / Blake3Constants.BlockLength;
        for (int b = 0; b < blocks - 1; b++)
        {
            uint start = b == 0 ? Blake3Constants.ChunkStart : 0;
            Blake3Compress.InPlace(ref cv, input.Slice(b * Blake3Constants.BlockLength, Blake3Constants.BlockLength),
                0, Blake3Constants.BlockLength, mode.Flags | start);
        }
        return input[((blocks - 1) * Blake3Constants.BlockLength)..];
    }
}
