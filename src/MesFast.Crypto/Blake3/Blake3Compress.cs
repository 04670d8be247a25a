using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// A single compression (spec §2.2) for work that cannot be spread over SIMD lanes: the row-vector AVX-512 version when
/// the AVX-512 back end is active, else the scalar one (which forcing <see cref="Blake3Isa.Portable"/> selects).
/// </summary>
internal static class Blake3Compress
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compress(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<uint> output16)
    {
        if (Blake3Avx512Block.IsSupported && Blake3Chunks.Active == Blake3Isa.Avx512)
            Blake3Avx512Block.Compress(cv, block, counter, blockLength, flags, output16);
        else
            Blake3Portable.Compress(cv, block, counter, blockLength, flags, output16);
    }

    /// <summary>Compresses one block in place: <paramref name="cv"/> becomes the new chaining value.</summary>
    [SkipLocalsInit]
    public static void CompressInPlace(ref Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        Span<uint> output = stackalloc uint[16];
        Compress(cv, block, counter, blockLength, flags, output);
        ((ReadOnlySpan<uint>)output[..8]).CopyTo(cv);
    }
}
