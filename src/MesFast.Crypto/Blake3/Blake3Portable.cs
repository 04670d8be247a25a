using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// The scalar BLAKE3 compression function (BLAKE3 spec §2.2). Every SIMD path must give the same
/// words as this one; the tests compare them on random inputs.
/// </summary>
internal static class Blake3Portable
{
    /// <summary>
    /// Compresses one block and returns all 16 output words: words 0–7 are the new chaining value,
    /// words 8–15 the extended output used by the XOF.
    /// </summary>
    public static void Compress(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<uint> output16)
    {
        uint m0 = BinaryPrimitives.ReadUInt32LittleEndian(block);
        uint m1 = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        uint m2 = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        uint m3 = BinaryPrimitives.ReadUInt32LittleEndian(block[12..]);
        uint m4 = BinaryPrimitives.ReadUInt32LittleEndian(block[16..]);
        uint m5 = BinaryPrimitives.ReadUInt32LittleEndian(block[20..]);
        uint m6 = BinaryPrimitives.ReadUInt32LittleEndian(block[24..]);
        uint m7 = BinaryPrimitives.ReadUInt32LittleEndian(block[28..]);
        uint m8 = BinaryPrimitives.ReadUInt32LittleEndian(block[32..]);
        uint m9 = BinaryPrimitives.ReadUInt32LittleEndian(block[36..]);
        uint m10 = BinaryPrimitives.ReadUInt32LittleEndian(block[40..]);
        uint m11 = BinaryPrimitives.ReadUInt32LittleEndian(block[44..]);
        uint m12 = BinaryPrimitives.ReadUInt32LittleEndian(block[48..]);
        uint m13 = BinaryPrimitives.ReadUInt32LittleEndian(block[52..]);
        uint m14 = BinaryPrimitives.ReadUInt32LittleEndian(block[56..]);
        uint m15 = BinaryPrimitives.ReadUInt32LittleEndian(block[60..]);

        uint v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        uint v8 = Blake3Constants.IV0, v9 = Blake3Constants.IV1, v10 = Blake3Constants.IV2, v11 = Blake3Constants.IV3;
        uint v12 = (uint)counter, v13 = (uint)(counter >> 32), v14 = blockLength, v15 = flags;

        for (int round = 0; round < 7; round++)
        {
            // Columns, then diagonals.
            G(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G(ref v3, ref v4, ref v9, ref v14, m14, m15);

            // Message permutation (spec table 2): m'[i] = m[P[i]], P = 2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8.
            uint t0 = m2, t1 = m6, t2 = m3, t3 = m10, t4 = m7, t5 = m0, t6 = m4, t7 = m13;
            uint t8 = m1, t9 = m11, t10 = m12, t11 = m5, t12 = m9, t13 = m14, t14 = m15, t15 = m8;
            m0 = t0; m1 = t1; m2 = t2; m3 = t3; m4 = t4; m5 = t5; m6 = t6; m7 = t7;
            m8 = t8; m9 = t9; m10 = t10; m11 = t11; m12 = t12; m13 = t13; m14 = t14; m15 = t15;
        }

        output16[15] = v15 ^ cv[7];
        output16[0] = v0 ^ v8; output16[1] = v1 ^ v9; output16[2] = v2 ^ v10; output16[3] = v3 ^ v11;
        output16[4] = v4 ^ v12; output16[5] = v5 ^ v13; output16[6] = v6 ^ v14; output16[7] = v7 ^ v15;
        output16[8] = v8 ^ cv[0]; output16[9] = v9 ^ cv[1]; output16[10] = v10 ^ cv[2]; output16[11] = v11 ^ cv[3];
        output16[12] = v12 ^ cv[4]; output16[13] = v13 ^ cv[5]; output16[14] = v14 ^ cv[6];
    }

    /// <summary>Compresses one block in place: <paramref name="cv"/> becomes the new chaining value.</summary>
    public static void CompressInPlace(ref Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        Span<uint> output = stackalloc uint[16];
        Compress(cv, block, counter, blockLength, flags, output);
        for (int i = 0; i < 8; i++) cv[i] = output[i];
    }

    public static void WriteWords(in Blake3Words words, Span<byte> destination32)
    {
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32LittleEndian(destination32[(4 * i)..], words[i]);
    }

    public static Blake3Words ReadWords(ReadOnlySpan<byte> source32)
    {
        Blake3Words w = default;
        for (int i = 0; i < 8; i++) w[i] = BinaryPrimitives.ReadUInt32LittleEndian(source32[(4 * i)..]);
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint mx, uint my)
    {
        a = a + b + mx;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 12);
        a = a + b + my;
        d = BitOperations.RotateRight(d ^ a, 8);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 7);
    }
}
