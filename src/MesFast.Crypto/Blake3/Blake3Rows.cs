using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// Compression of one block of one message in SIMD registers (the row-wise layout of the reference blake3_sse41.c):
/// the 16 state words are four rows of four, so each G step mixes all four columns at once and the diagonal step is
/// reached by rotating the lanes of rows 0, 2 and 3. A single message has no sibling messages to fill the lanes of the
/// many-message back ends, so this is its SIMD path. Results equal <see cref="Blake3Portable"/> word for word.
/// </summary>
internal static class Blake3Rows
{
    /// <summary><c>pshufd</c>/<c>shufps</c>/<c>pblendw</c> (SSE4.1) and byte shuffles (SSSE3) are the minimum.</summary>
    public static bool IsSupported => Sse41.IsSupported && Ssse3.IsSupported;

    /// <summary>Compresses one block in place with the best rotations this CPU has; requires <see cref="IsSupported"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompressInPlace(ref Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
    {
        if (Blake3Avx512Rotations.IsSupported) CompressInPlace<Blake3Avx512Rotations>(ref cv, block, counter, blockLength, flags);
        else CompressInPlace<Blake3Ssse3Rotations>(ref cv, block, counter, blockLength, flags);
    }

    /// <summary>All 64 output bytes (new CV, then the extended output) with the best rotations; requires <see cref="IsSupported"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompressXof(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<byte> output64)
    {
        if (Blake3Avx512Rotations.IsSupported) CompressXof<Blake3Avx512Rotations>(cv, block, counter, blockLength, flags, output64);
        else CompressXof<Blake3Ssse3Rotations>(cv, block, counter, blockLength, flags, output64);
    }

    public static void CompressInPlace<TRot>(ref Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags)
        where TRot : struct, IBlake3RowRotations
    {
        ref uint cvWords = ref cv[0];
        Rounds<TRot>(cvWords, block, counter, blockLength, flags, out var row0, out var row1, out var row2, out var row3);
        (row0 ^ row2).StoreUnsafe(ref cvWords);
        (row1 ^ row3).StoreUnsafe(ref cvWords, 4);
    }

    public static void CompressXof<TRot>(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<byte> output64)
        where TRot : struct, IBlake3RowRotations
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output64.Length, Blake3Constants.BlockLength);
        ref uint cvWords = ref Unsafe.AsRef(in cv[0]);
        Rounds<TRot>(cvWords, block, counter, blockLength, flags, out var row0, out var row1, out var row2, out var row3);
        // x86 is little-endian, so storing the words is the byte serialisation the spec asks for.
        ref byte output = ref MemoryMarshal.GetReference(output64);
        (row0 ^ row2).AsByte().StoreUnsafe(ref output);
        (row1 ^ row3).AsByte().StoreUnsafe(ref output, 16);
        (row2 ^ Vector128.LoadUnsafe(ref cvWords)).AsByte().StoreUnsafe(ref output, 32);
        (row3 ^ Vector128.LoadUnsafe(ref cvWords, 4)).AsByte().StoreUnsafe(ref output, 48);
    }

    /// <summary>The 16 output words, in the same form as <see cref="Blake3Portable.Compress"/> (for tests).</summary>
    public static void Compress<TRot>(in Blake3Words cv, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags, Span<uint> output16)
        where TRot : struct, IBlake3RowRotations
        => CompressXof<TRot>(cv, block, counter, blockLength, flags, MemoryMarshal.AsBytes(output16));

    /// <summary>The seven rounds; the caller folds the rows into the output (spec §2.2, last step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds<TRot>(in uint cvWords, ReadOnlySpan<byte> block, ulong counter, uint blockLength, uint flags,
        out Vector128<uint> row0, out Vector128<uint> row1, out Vector128<uint> row2, out Vector128<uint> row3)
        where TRot : struct, IBlake3RowRotations
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, Blake3Constants.BlockLength);
        ref byte blockBytes = ref MemoryMarshal.GetReference(block);
        Vector128<uint> w0 = Vector128.LoadUnsafe(ref blockBytes).AsUInt32();
        Vector128<uint> w1 = Vector128.LoadUnsafe(ref blockBytes, 16).AsUInt32();
        Vector128<uint> w2 = Vector128.LoadUnsafe(ref blockBytes, 32).AsUInt32();
        Vector128<uint> w3 = Vector128.LoadUnsafe(ref blockBytes, 48).AsUInt32();

        row0 = Vector128.LoadUnsafe(ref Unsafe.AsRef(in cvWords));
        row1 = Vector128.LoadUnsafe(ref Unsafe.AsRef(in cvWords), 4);
        row2 = Vector128.Create(Blake3Constants.IV0, Blake3Constants.IV1, Blake3Constants.IV2, Blake3Constants.IV3);
        // Two 64-bit halves (counter; length and flags) build the row in two moves instead of four inserts.
        row3 = Vector128.Create(counter, ((ulong)flags << 32) | blockLength).AsUInt32();

        // The message of each round as the four vectors its G steps add: x and y words of the columns, then of the
        // diagonals, in the lane order Diagonalize leaves the state in (lane 0 is the G of state words 3, 4, 9, 14).
        // Round 1 takes the words in natural order: columns get m0 m2 m4 m6 / m1 m3 m5 m7, diagonals m14 m8 m10 m12 / m15 m9 m11 m13.
        Vector128<uint> colX = PickPairs(w0, w1, 0b10_00_10_00);
        Vector128<uint> colY = PickPairs(w0, w1, 0b11_01_11_01);
        Vector128<uint> diagX = Sse2.Shuffle(PickPairs(w2, w3, 0b10_00_10_00), 0b10_01_00_11);
        Vector128<uint> diagY = Sse2.Shuffle(PickPairs(w2, w3, 0b11_01_11_01), 0b10_01_00_11);
        Round<TRot>(ref row0, ref row1, ref row2, ref row3, colX, colY, diagX, diagY);
        for (int round = 1; round < 7; round++)
        {
            Permute(ref colX, ref colY, ref diagX, ref diagY);
            Round<TRot>(ref row0, ref row1, ref row2, ref row3, colX, colY, diagX, diagY);
        }
    }

    /// <summary>
    /// The message permutation (spec table 2, m'[i] = m[P[i]]) applied to the four round vectors directly. Writing
    /// the old vectors as A = (u0 u2 u4 u6), B = (u1 u3 u5 u7), C = (u14 u8 u10 u12), D = (u15 u9 u11 u13), the new
    /// ones are A' = (u2 u3 u7 u4) = (A1 B1 B3 A2), B' = (u6 u10 u0 u13) = (A3 C2 A0 D3),
    /// C' = (u15 u1 u12 u9) = (D0 B0 C3 D1), D' = (u8 u11 u5 u14) = (C1 D2 B2 C0). None of it is on the state's
    /// dependency chain, so these shuffles overlap with the G steps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Permute(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d)
    {
        // (A2 A1 B1 B3) rotated left by one lane.
        Vector128<uint> newA = Sse2.Shuffle(PickPairs(a, b, 0b11_01_01_10), 0b00_11_10_01);
        // (A3 A3 A0 A0) with lanes 1 and 3 from (C2 C2 D3 D3).
        Vector128<uint> newB = Blend(Sse2.Shuffle(a, 0b00_00_11_11), PickPairs(c, d, 0b11_11_10_10), 0b1010);
        // (D0 B0 D1 B1) and (D0 D1 D2 C3): lanes 0, 1 of the first, 3, 1 of the second.
        Vector128<uint> newC = PickPairs(Sse2.UnpackLow(d, b), Blend(d, c, 0b1000), 0b01_11_01_00);
        // (C0 C1 D2 C3) and (C0 B1 B2 B3): lanes 1, 2 of the first, 2, 0 of the second.
        Vector128<uint> newD = PickPairs(Blend(c, d, 0b0100), Blend(b, c, 0b0001), 0b00_10_10_01);
        a = newA; b = newB; c = newC; d = newD;
    }

    /// <summary>One round: G on the four columns, then on the four diagonals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TRot>(ref Vector128<uint> row0, ref Vector128<uint> row1, ref Vector128<uint> row2, ref Vector128<uint> row3,
        Vector128<uint> colX, Vector128<uint> colY, Vector128<uint> diagX, Vector128<uint> diagY)
        where TRot : struct, IBlake3RowRotations
    {
        G<TRot>(ref row0, ref row1, ref row2, ref row3, colX, colY);
        // Rows 0, 2, 3 move so that each lane holds one diagonal; row 1 stays (the blake2-avx2 trick the reference
        // uses), which is why the diagonal message vectors start with the words of the G on state words 3, 4, 9, 14.
        row0 = Sse2.Shuffle(row0, 0b10_01_00_11);
        row2 = Sse2.Shuffle(row2, 0b00_11_10_01);
        row3 = Sse2.Shuffle(row3, 0b01_00_11_10);
        G<TRot>(ref row0, ref row1, ref row2, ref row3, diagX, diagY);
        row0 = Sse2.Shuffle(row0, 0b00_11_10_01);
        row2 = Sse2.Shuffle(row2, 0b10_01_00_11);
        row3 = Sse2.Shuffle(row3, 0b01_00_11_10);
    }

    /// <summary>The G function (spec §2.2) on four (a, b, c, d) lanes at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<TRot>(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d,
        Vector128<uint> mx, Vector128<uint> my)
        where TRot : struct, IBlake3RowRotations
    {
        // a + m first: the message is ready early, so only one add waits for b.
        a = a + mx + b;
        d = TRot.Right16(d ^ a);
        c += d;
        b = TRot.Right12(b ^ c);
        a = a + my + b;
        d = TRot.Right8(d ^ a);
        c += d;
        b = TRot.Right7(b ^ c);
    }

    /// <summary><c>shufps</c>: lanes 0 and 1 from <paramref name="low"/>, 2 and 3 from <paramref name="high"/>, two control bits each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> PickPairs(Vector128<uint> low, Vector128<uint> high, [ConstantExpected] byte control)
        => Sse.Shuffle(low.AsSingle(), high.AsSingle(), control).AsUInt32();

    /// <summary>Lanes whose bit is set in <paramref name="lanes"/> from <paramref name="right"/>, the others from <paramref name="left"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Blend(Vector128<uint> left, Vector128<uint> right, [ConstantExpected] byte lanes)
        => Sse41.Blend(left.AsSingle(), right.AsSingle(), lanes).AsUInt32();
}
