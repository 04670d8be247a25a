using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// Single-block compression for code that works on one message at a time (short hashes, the incremental hasher's
/// chunk state, root output blocks): the row-wise SIMD compression when the CPU has it, the scalar one otherwise.
/// A thread that forced the portable back end (<see cref="Blake3Chunks.Force"/>, for tests and baseline benchmarks)
/// gets the scalar one too, so "portable" stays scalar end to end.
/// </summary>
internal static class Blake3Compress
{
    /// <summary>Whether the calling thread compresses single blocks in SIMD rows.</summary>
    public static bool UsesRows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Blake3Rows.IsSupported && Blake3Chunks.Active != Blake3Isa.Portable;
    }

    public static void InPlace(ref Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        if (UsesRows) Blake3Rows.CompressInPlace(ref cv, block, counter, blockLength, flags);
        else Blake3Portable.CompressInPlace(ref cv, block, counter, blockLength, flags);
    }

    /// <summary>All 64 output bytes of one compression (spec §2.6: one block of the output stream when flags has ROOT).</summary>
    [SkipLocalsInit]
    public static void Xof(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<byte> output64)
    {
        if (UsesRows)
        {
            Blake3Rows.CompressXof(cv, block, counter, blockLength, flags, output64);
            return;
        }
        Span<uint> words = stackalloc uint[16];
        Blake3Portable.Compress(cv, block, counter, blockLength, flags, words);
        for (int i = 0; i < 16; i++) BinaryPrimitives.WriteUInt32LittleEndian(output64[(4 * i)..], words[i]);
    }
}
