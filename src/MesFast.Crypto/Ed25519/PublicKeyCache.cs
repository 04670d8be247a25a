using System.Buffers.Binary;

namespace MesFast.Crypto;

/// <summary>
/// Decompressed public keys of recent signers: a key that signs often (a wallet's many inputs, an exchange, a witness
/// voting every block) is decompressed once instead of once per signature (a decompression is a field exponentiation,
/// about a quarter of a batch verification per signature). Direct-mapped, 4,096 slots; each slot holds an immutable
/// entry swapped in whole, so concurrent readers see an old or a new entry, never half of one. A collision (even a
/// crafted one) only evicts: the key is then decompressed again, as without the cache.
/// </summary>
internal static class PublicKeyCache
{
    private const int Slots = 4096;

    private static readonly Entry?[] s_slots = new Entry?[Slots];

    public static bool TryGet(ReadOnlySpan<byte> encoding, out EdwardsPoint point)
    {
        var entry = Volatile.Read(ref s_slots[SlotOf(encoding)]);
        if (entry is not null && encoding.SequenceEqual(entry.Encoding))
        {
            point = entry.Point;
            return true;
        }
        point = default;
        return false;
    }

    /// <summary>Remembers a successful ZIP-215 decompression of <paramref name="encoding"/>.</summary>
    public static void Add(ReadOnlySpan<byte> encoding, in EdwardsPoint point) =>
        Volatile.Write(ref s_slots[SlotOf(encoding)], new Entry(encoding.ToArray(), point));

    private static int SlotOf(ReadOnlySpan<byte> encoding) =>
        (int)(BinaryPrimitives.ReadUInt32LittleEndian(encoding) & (Slots - 1));

    private sealed class Entry(byte[] encoding, EdwardsPoint point)
    {
        public byte[] Encoding { get; } = encoding;

        public EdwardsPoint Point { get; } = point;
    }
}
