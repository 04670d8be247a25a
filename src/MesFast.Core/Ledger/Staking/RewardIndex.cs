namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// Fixed-point reward-per-vote math (PROTOCOL §11.4). A candidate's index is the cumulative reward per unit of
/// weight in units of 2^-64 MES base units, a <see cref="UInt128"/>. Crediting <c>share</c> over <c>weight</c> adds
/// <c>⌊share · 2^64 / weight⌋</c>; a position of <c>amount</c> has accrued <c>⌊amount · (index − entry) / 2^64⌋</c>.
/// Both floors round toward the module: the voters of a block together never receive more than its voter share,
/// and the rounding dust (below 1 unit per voter per claim, plus below weight / 2^64 units per block) stays locked
/// in the staking module for good. No floating point anywhere.
/// </summary>
public static class RewardIndex
{
    /// <summary>The index increment of crediting <paramref name="share"/> over <paramref name="weight"/> (&gt; 0).</summary>
    public static UInt128 Increment(ulong share, ulong weight) => ((UInt128)share << 64) / weight;

    /// <summary>
    /// What a position of <paramref name="amount"/> earned between index values <paramref name="entry"/> and
    /// <paramref name="current"/>; false if it exceeds 2^64 − 1 (cannot happen while MES supply fits a u64).
    /// </summary>
    public static bool TryAccrued(ulong amount, UInt128 entry, UInt128 current, out ulong accrued)
    {
        // The index only grows and cannot wrap while total rewards fit a u64 (Σ share·2^64/weight < 2^128).
        UInt128 delta = current - entry;
        ulong hi = (ulong)(delta >> 64), lo = (ulong)delta;
        UInt128 whole = (UInt128)amount * hi;
        ulong fraction = Math.BigMul(amount, lo, out _);
        UInt128 total = whole + fraction;
        if (total > ulong.MaxValue)
        {
            accrued = 0;
            return false;
        }
        accrued = (ulong)total;
        return true;
    }

    public static void Write(UInt128 value, Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)value);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (ulong)(value >> 64));
    }

    public static UInt128 Read(ReadOnlySpan<byte> source) => new(
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source));
}
