using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MesFast.Crypto;

/// <summary>Which implementation of the lane-wise arithmetic an <see cref="LtHash"/> uses.</summary>
internal enum LtHashLanePath
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// Lane-wise addition and subtraction of u16 vectors modulo 2^16 (DESIGN §4 stateRoot). The vector paths rely on
/// <c>VectorNNN.Add/Subtract</c> of <c>ushort</c> lanes wrapping modulo 2^16, exactly like the scalar reference.
/// Every path gives the same result; only speed differs.
/// </summary>
internal static class LtHashLanes
{
    /// <summary>The widest hardware-accelerated path on this machine.</summary>
    public static LtHashLanePath Best { get; } =
        Vector512.IsHardwareAccelerated ? LtHashLanePath.Vector512
        : Vector256.IsHardwareAccelerated ? LtHashLanePath.Vector256
        : Vector128.IsHardwareAccelerated ? LtHashLanePath.Vector128
        : LtHashLanePath.Scalar;

    /// <summary><c>acc[i] = acc[i] + x[i] mod 2^16</c>.</summary>
    public static void Add(Span<ushort> acc, ReadOnlySpan<ushort> x, LtHashLanePath path)
    {
        if (acc.Length != x.Length) throw new ArgumentException("lane counts differ", nameof(x));
        switch (path)
        {
            case LtHashLanePath.Vector512: Add512(acc, x); break;
            case LtHashLanePath.Vector256: Add256(acc, x); break;
            case LtHashLanePath.Vector128: Add128(acc, x); break;
            default: AddScalar(acc, x, 0); break;
        }
    }

    /// <summary><c>acc[i] = acc[i] − x[i] mod 2^16</c>.</summary>
    public static void Subtract(Span<ushort> acc, ReadOnlySpan<ushort> x, LtHashLanePath path)
    {
        if (acc.Length != x.Length) throw new ArgumentException("lane counts differ", nameof(x));
        switch (path)
        {
            case LtHashLanePath.Vector512: Subtract512(acc, x); break;
            case LtHashLanePath.Vector256: Subtract256(acc, x); break;
            case LtHashLanePath.Vector128: Subtract128(acc, x); break;
            default: SubtractScalar(acc, x, 0); break;
        }
    }

    private static void AddScalar(Span<ushort> acc, ReadOnlySpan<ushort> x, int start)
    {
        for (int i = start; i < acc.Length; i++) acc[i] = unchecked((ushort)(acc[i] + x[i]));
    }

    private static void SubtractScalar(Span<ushort> acc, ReadOnlySpan<ushort> x, int start)
    {
        for (int i = start; i < acc.Length; i++) acc[i] = unchecked((ushort)(acc[i] - x[i]));
    }

    private static void Add512(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector512<ushort>.Count; i += Vector512<ushort>.Count)
            Vector512.Add(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        AddScalar(acc, x, i);
    }

    private static void Subtract512(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector512<ushort>.Count; i += Vector512<ushort>.Count)
            Vector512.Subtract(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        SubtractScalar(acc, x, i);
    }

    private static void Add256(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            Vector256.Add(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        AddScalar(acc, x, i);
    }

    private static void Subtract256(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            Vector256.Subtract(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        SubtractScalar(acc, x, i);
    }

    private static void Add128(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            Vector128.Add(Vector128.LoadUnsafe(ref a, (nuint)i), Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        AddScalar(acc, x, i);
    }

    private static void Subtract128(Span<ushort> acc, ReadOnlySpan<ushort> x)
    {
        ref ushort a = ref MemoryMarshal.GetReference(acc);
        ref ushort b = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= acc.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            Vector128.Subtract(Vector128.LoadUnsafe(ref a, (nuint)i), Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        SubtractScalar(acc, x, i);
    }
}
