using MesFast.Crypto;

namespace MesFast.Core.Ssa;

/// <summary>
/// SSA key → shard placement (DESIGN §7): <c>JumpHash(H64(ssa, genesisSeed ‖ key), S)</c>, stable for the life of S.
/// </summary>
public sealed class ShardMap
{
    private readonly Blake3Key _keyed;

    public ShardMap(Hash32 genesisSeed, int shardCount)
    {
        if (shardCount < 1 || (shardCount & (shardCount - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "the shard count is a power of two (S = 2^k)");
        GenesisSeed = genesisSeed;
        ShardCount = shardCount;
        _keyed = DomainHash.Ssa;
    }

    public Hash32 GenesisSeed { get; }

    public int ShardCount { get; }

    /// <summary>The 64-bit placement hash of a record key: first 8 bytes (LE) of H(ssa, genesisSeed ‖ key).</summary>
    public ulong PlacementHash(ReadOnlySpan<byte> recordKey)
    {
        Span<byte> preimage = stackalloc byte[Hash32.Size + 256];
        if (recordKey.Length > 256) throw new ArgumentException("record keys are at most 256 bytes", nameof(recordKey));
        GenesisSeed.CopyTo(preimage);
        recordKey.CopyTo(preimage[Hash32.Size..]);
        return DomainHash.Compute64(_keyed, preimage[..(Hash32.Size + recordKey.Length)]);
    }

    public int ShardOf(ReadOnlySpan<byte> recordKey) => ShardCount == 1 ? 0 : JumpHash.Bucket(PlacementHash(recordKey), ShardCount);

    /// <summary>
    /// Places many record keys at once (key i = keys[offsets[i]..offsets[i+1]]), hashing them across SIMD lanes:
    /// a block's placement costs a fraction of one hash per key. Same result as <see cref="ShardOf"/> per key.
    /// </summary>
    public void ShardsOf(ReadOnlySpan<byte> keys, ReadOnlySpan<int> offsets, Span<int> shards)
    {
        int n = shards.Length;
        if (offsets.Length != n + 1) throw new ArgumentException("offsets holds n + 1 entries", nameof(offsets));
        if (ShardCount == 1)
        {
            shards.Clear();
            return;
        }
        int total = offsets[n] - offsets[0] + n * Hash32.Size;
        byte[] messages = System.Buffers.ArrayPool<byte>.Shared.Rent(total);
        int[] messageOffsets = System.Buffers.ArrayPool<int>.Shared.Rent(n + 1);
        byte[] hashes = System.Buffers.ArrayPool<byte>.Shared.Rent(n * Hash32.Size);
        try
        {
            int at = 0;
            for (int i = 0; i < n; i++)
            {
                messageOffsets[i] = at;
                GenesisSeed.CopyTo(messages.AsSpan(at));
                at += Hash32.Size;
                var key = keys[offsets[i]..offsets[i + 1]];
                key.CopyTo(messages.AsSpan(at));
                at += key.Length;
            }
            messageOffsets[n] = at;
            Blake3Batch.Hash(_keyed, messages.AsSpan(0, at), messageOffsets.AsSpan(0, n + 1), hashes.AsSpan(0, n * Hash32.Size));
            for (int i = 0; i < n; i++)
                shards[i] = JumpHash.Bucket(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hashes.AsSpan(i * Hash32.Size)), ShardCount);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(messages);
            System.Buffers.ArrayPool<int>.Shared.Return(messageOffsets);
            System.Buffers.ArrayPool<byte>.Shared.Return(hashes);
        }
    }
}
