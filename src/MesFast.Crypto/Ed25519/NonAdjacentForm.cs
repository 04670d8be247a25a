using System.Buffers.Binary;
using System.Numerics;

namespace MesFast.Crypto;

/// <summary>Width-w non-adjacent form recoding of 256-bit little-endian scalars (variable time; public data only).</summary>
internal static class NonAdjacentForm
{
    /// <summary>
    /// Writes 256 signed digits (each 0 or odd with |d| &lt; 2^(w-1), at most one non-zero in any w consecutive)
    /// such that Σ digits[i]·2^i equals the scalar. Requires scalar &lt; 2^255 and 2 ≤ w ≤ 8.
    /// Returns the index of the highest non-zero digit + 1 (0 for a zero scalar).
    /// </summary>
    public static int Compute(ReadOnlySpan<byte> scalar32, int w, Span<sbyte> digits)
    {
        Span<ulong> x = stackalloc ulong[5];
        x[0] = BinaryPrimitives.ReadUInt64LittleEndian(scalar32);
        x[1] = BinaryPrimitives.ReadUInt64LittleEndian(scalar32.Slice(8));
        x[2] = BinaryPrimitives.ReadUInt64LittleEndian(scalar32.Slice(16));
        x[3] = BinaryPrimitives.ReadUInt64LittleEndian(scalar32.Slice(24));
        x[4] = 0;
        digits.Slice(0, 256).Clear();
        ulong width = 1UL << w;
        ulong windowMask = width - 1;
        int pos = 0;
        ulong carry = 0;
        int top = 0;
        while (pos < 256)
        {
            int idx = pos >> 6;
            int bit = pos & 63;
            // 64 bits from pos (x[4] = 0 pads the top). A run of even windows — zero bits with no carry pending, one
            // bits with a carry (1 + 1 carries on) — emits zeros only, so it is skipped in one step: one branch per
            // run instead of one per bit, which the random digit pattern made hard to predict.
            ulong bits = bit == 0 ? x[idx] : (x[idx] >> bit) | (x[idx + 1] << (64 - bit));
            int run = BitOperations.TrailingZeroCount(carry == 0 ? bits : ~bits);
            if (run != 0)
            {
                pos += run;
                continue;
            }
            ulong window = carry + (bits & windowMask);
            if (window < width / 2)
            {
                carry = 0;
                digits[pos] = (sbyte)window;
            }
            else
            {
                carry = 1;
                digits[pos] = (sbyte)((long)window - (long)width);
            }
            top = pos + 1;
            pos += w;
        }
        return top;
    }
}
