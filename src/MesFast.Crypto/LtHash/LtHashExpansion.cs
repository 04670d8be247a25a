using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MesFast.Crypto;

/// <summary>
/// Maps an entry to its 1,024-lane vector (DESIGN §4 stateRoot): the first 2,048 bytes of the BLAKE3 extendable
/// output of the entry in derive-key mode with context <c>"mes/lthash/v1"</c>, read as 1,024 little-endian u16.
/// </summary>
internal static class LtHashExpansion
{
    /// <summary><c>DomainHash.ForTag("lthash")</c>: context <c>"mes/lthash/v1"</c>. Kept here, not in <see cref="DomainHash"/>, which another component owns.</summary>
    public static readonly Blake3Key Mode = DomainHash.ForTag("lthash");

    /// <summary>Writes the expansion of <paramref name="entry"/> into <paramref name="lanes"/> (1,024 lanes).</summary>
    public static void Expand(ReadOnlySpan<byte> entry, Span<ushort> lanes)
    {
        Blake3.Hash(Mode, entry, MemoryMarshal.AsBytes(lanes));
        if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(lanes, lanes);
    }
}
