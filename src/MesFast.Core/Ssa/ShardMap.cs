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
}
