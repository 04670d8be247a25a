using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// One compression (spec §2.2) with the state as four row vectors (v0–3, v4–7, v8–11, v12–15): the four column G
/// functions run in the lanes, then the rows are rotated so the diagonals line up (and back). The whole 64-byte block
/// sits in one <c>Vector512</c>; each round's message vectors come from one <c>vpermd</c> with the schedule of that
/// round (permutation table 2 applied r times) as indexes. For the work that cannot be spread over lanes: the last
/// chunk of an input, single parents, root blocks and messages hashed one at a time. AVX-512F + VL.
/// </summary>
internal static class Blake3Avx512Block
{
    public static bool IsSupported => Avx512F.VL.IsSupported;

    /// <summary>Per round: message-word indexes of the column G inputs x, y, then of the diagonal ones (lanes 0–3 used).</summary>
    private static ReadOnlySpan<uint> Schedule =>
    [
        0, 2, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 3, 5, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        9, 11, 13, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 3, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        6, 10, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 12, 9, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        11, 5, 14, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 10, 13, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 12, 2, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        6, 9, 11, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        5, 0, 15, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        10, 12, 14, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        7, 9, 3, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 11, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 2, 8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        12, 9, 15, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        13, 11, 10, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        7, 5, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 3, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        9, 11, 8, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        14, 5, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        13, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 10, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        11, 5, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        15, 0, 9, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        14, 2, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        10, 12, 4, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Pick(Vector512<uint> message, ref uint schedule, int at)
        => Avx512F.PermuteVar16x32(message, Vector512.LoadUnsafe(ref schedule, (nuint)(16 * at))).GetLower().GetLower();

    /// <summary>Same contract as <see cref="Blake3Portable.Compress"/>: all 16 output words.</summary>
    public static void Compress(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<uint> output16)
    {
        if (block.Length < Blake3Constants.BlockLength || output16.Length < 16) throw new ArgumentException("a block is 64 bytes and the output 16 words");
        Vector512<uint> message = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(block)).AsUInt32();
        ref uint cvWords = ref Unsafe.AsRef(in cv[0]);
        Vector128<uint> cvLow = Vector128.LoadUnsafe(ref cvWords), cvHigh = Vector128.LoadUnsafe(ref cvWords, 4);
        Vector128<uint> row0 = cvLow, row1 = cvHigh;
        Vector128<uint> row2 = Vector128.Create(Blake3Constants.IV0, Blake3Constants.IV1, Blake3Constants.IV2, Blake3Constants.IV3);
        Vector128<uint> row3 = Vector128.Create((uint)counter, (uint)(counter >> 32), blockLength, flags);
        ref uint schedule = ref MemoryMarshal.GetReference(Schedule);
        for (int round = 0; round < 7; round++)
        {
            // Columns.
            row0 = row0 + row1 + Pick(message, ref schedule, 4 * round);
            row3 = Avx512F.VL.RotateRight(row3 ^ row0, 16);
            row2 += row3;
            row1 = Avx512F.VL.RotateRight(row1 ^ row2, 12);
            row0 = row0 + row1 + Pick(message, ref schedule, 4 * round + 1);
            row3 = Avx512F.VL.RotateRight(row3 ^ row0, 8);
            row2 += row3;
            row1 = Avx512F.VL.RotateRight(row1 ^ row2, 7);

            // Diagonals: rotate rows 1, 2, 3 left by 1, 2, 3 lanes so (v0, v5, v10, v15) … share a lane.
            row1 = Sse2.Shuffle(row1, 0x39);
            row2 = Sse2.Shuffle(row2, 0x4E);
            row3 = Sse2.Shuffle(row3, 0x93);
            row0 = row0 + row1 + Pick(message, ref schedule, 4 * round + 2);
            row3 = Avx512F.VL.RotateRight(row3 ^ row0, 16);
            row2 += row3;
            row1 = Avx512F.VL.RotateRight(row1 ^ row2, 12);
            row0 = row0 + row1 + Pick(message, ref schedule, 4 * round + 3);
            row3 = Avx512F.VL.RotateRight(row3 ^ row0, 8);
            row2 += row3;
            row1 = Avx512F.VL.RotateRight(row1 ^ row2, 7);
            row1 = Sse2.Shuffle(row1, 0x93);
            row2 = Sse2.Shuffle(row2, 0x4E);
            row3 = Sse2.Shuffle(row3, 0x39);
        }
        ref uint output = ref MemoryMarshal.GetReference(output16);
        (row0 ^ row2).StoreUnsafe(ref output);
        (row1 ^ row3).StoreUnsafe(ref output, 4);
        (row2 ^ cvLow).StoreUnsafe(ref output, 8);
        (row3 ^ cvHigh).StoreUnsafe(ref output, 12);
    }
}
