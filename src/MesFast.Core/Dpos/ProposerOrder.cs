using System.Buffers.Binary;
using MesFast.Crypto;

namespace MesFast.Core.Dpos;

/// <summary>
/// The proposer order of a round (DESIGN §6): Fisher–Yates over the elected set driven by the BLAKE3-XOF stream of
/// key <c>H(order, epochSeed ‖ u64 round)</c> (keyed mode, empty input). Index draws are unbiased by rejection.
/// </summary>
public static class ProposerOrder
{
    /// <summary>Domain of the round key (tag <c>order</c>, PROTOCOL §11.5).</summary>
    public static readonly Blake3Key OrderDomain = DomainHash.ForTag("order");

    /// <summary>The round's key: <c>H(order, epochSeed ‖ u64 LE round)</c>.</summary>
    public static Hash32 RoundKey(in Hash32 epochSeed, ulong round)
    {
        Span<byte> preimage = stackalloc byte[Hash32.Size + 8];
        epochSeed.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64LittleEndian(preimage[Hash32.Size..], round);
        return DomainHash.Compute(OrderDomain, preimage);
    }

    /// <summary>
    /// A permutation of <paramref name="elected"/>: for i = n−1 down to 1, swap i with j drawn uniformly from
    /// [0, i]. Each draw reads the next u64 (LE) of the stream and rejects values ≥ 2^64 − (2^64 mod (i+1)).
    /// </summary>
    public static Hash32[] Shuffle(ReadOnlySpan<Hash32> elected, in Hash32 epochSeed, ulong round)
    {
        var order = elected.ToArray();
        var stream = new XofStream(RoundKey(epochSeed, round));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)stream.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The slot of height h, view v in a round of n: <c>(h + v) mod n</c> (DESIGN §5).</summary>
    public static int Slot(ulong height, uint view, int n) => (int)((height % (ulong)n + view % (ulong)n) % (ulong)n);

    /// <summary>Reads the keyed BLAKE3 output stream 64 bytes at a time.</summary>
    private struct XofStream(Hash32 key)
    {
        private readonly Blake3Key _mode = Blake3Key.Keyed(key.Span);
        private readonly byte[] _block = new byte[64];
        private ulong _position;
        private int _used = 64;

        public ulong NextU64()
        {
            if (_used == _block.Length)
            {
                Blake3.Hash(_mode, [], _block, _position);
                _position += (ulong)_block.Length;
                _used = 0;
            }
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_block.AsSpan(_used));
            _used += 8;
            return value;
        }

        /// <summary>Uniform in [0, bound) by rejection sampling (no modulo bias).</summary>
        public ulong NextBelow(ulong bound)
        {
            ulong limit = ulong.MaxValue - (ulong.MaxValue % bound + 1) % bound; // largest multiple of bound, minus 1
            ulong x;
            do x = NextU64(); while (x > limit);
            return x % bound;
        }
    }
}
