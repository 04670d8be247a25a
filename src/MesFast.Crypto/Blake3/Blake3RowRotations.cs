using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// The four G rotations on a row of four words. A type parameter of <see cref="Blake3Rows"/>, so the JIT compiles one
/// specialised compression per variant and both can be tested and benchmarked on an AVX-512 machine.
/// </summary>
internal interface IBlake3RowRotations
{
    static abstract bool IsSupported { get; }
    static abstract Vector128<uint> Right16(Vector128<uint> x);
    static abstract Vector128<uint> Right12(Vector128<uint> x);
    static abstract Vector128<uint> Right8(Vector128<uint> x);
    static abstract Vector128<uint> Right7(Vector128<uint> x);
}

/// <summary>SSSE3: 16 and 8 are whole-byte moves (one <c>pshufb</c>); 12 and 7 need two shifts and an or.</summary>
internal readonly struct Blake3Ssse3Rotations : IBlake3RowRotations
{
    public static bool IsSupported => Ssse3.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right16(Vector128<uint> x)
        => Ssse3.Shuffle(x.AsByte(), Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right12(Vector128<uint> x) => Sse2.ShiftRightLogical(x, 12) | Sse2.ShiftLeftLogical(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right8(Vector128<uint> x)
        => Ssse3.Shuffle(x.AsByte(), Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right7(Vector128<uint> x) => Sse2.ShiftRightLogical(x, 7) | Sse2.ShiftLeftLogical(x, 25);
}

/// <summary>AVX-512VL: every rotation is one <c>vprord</c> on the 128-bit row, shortening each G step's dependency chain.</summary>
internal readonly struct Blake3Avx512Rotations : IBlake3RowRotations
{
    public static bool IsSupported => Avx512F.VL.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right16(Vector128<uint> x) => Avx512F.VL.RotateRight(x, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right12(Vector128<uint> x) => Avx512F.VL.RotateRight(x, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right8(Vector128<uint> x) => Avx512F.VL.RotateRight(x, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Right7(Vector128<uint> x) => Avx512F.VL.RotateRight(x, 7);
}
