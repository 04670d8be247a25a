namespace MesFast.Core.Codec;

/// <summary>Unsigned LEB128 for counts and lengths (DESIGN §2): 7 bits per byte, low groups first, high bit = more.</summary>
public static class Varint
{
    /// <summary>Longest encoding of a u32: ⌈32 / 7⌉ = 5 bytes.</summary>
    public const int MaxBytes = 5;

    /// <summary>Bytes needed for the minimal encoding of <paramref name="value"/>.</summary>
    public static int SizeOf(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    /// <summary>Bytes needed for a non-negative count or length.</summary>
    public static int SizeOf(int value) => SizeOf(checked((uint)value));
}
