using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>A transaction waiting in the pool: its exact encoding, fee and what it spends.</summary>
public sealed class PooledTx
{
    /// <summary>Estimated bytes of bookkeeping per entry beyond the encoding (objects, index entries).</summary>
    public const int Overhead = 320;

    internal PooledTx(Hash32 txId, byte[] bytes, ulong fee, ulong validUntil, TxInput[] inputs, long arrival)
    {
        TxId = txId;
        Bytes = bytes;
        Fee = fee;
        ValidUntil = validUntil;
        Inputs = inputs;
        Arrival = arrival;
    }

    public Hash32 TxId { get; }

    public byte[] Bytes { get; }

    public ulong Fee { get; }

    public ulong ValidUntil { get; }

    public TxInput[] Inputs { get; }

    /// <summary>Admission order (ties in fee rate go to the earlier transaction).</summary>
    public long Arrival { get; }

    internal long HeldBytes => Bytes.Length + Overhead;

    /// <summary>Still in the pool (its expiry entry is live); set and cleared under the pool's lock.</summary>
    internal bool InPool { get; set; }

    /// <summary>Fee rate order: higher fee per byte first, then earlier arrival. Exact: compares fee·size cross products.</summary>
    internal static int CompareByRate(PooledTx? a, PooledTx? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return 1;
        if (b is null) return -1;
        var left = (UInt128)a.Fee * (ulong)b.Bytes.Length;
        var right = (UInt128)b.Fee * (ulong)a.Bytes.Length;
        if (left != right) return left > right ? -1 : 1;
        return a.Arrival.CompareTo(b.Arrival);
    }
}
