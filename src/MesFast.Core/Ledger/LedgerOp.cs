using MesFast.Core.Types;

namespace MesFast.Core.Ledger;

/// <summary>
/// One state change of a block, in block order: create or spend an output, create an asset record, or replace a
/// module record (<see cref="ModuleRecordChange"/>).
/// </summary>
internal readonly record struct LedgerOp(LedgerOpKind Kind, int Shard, TxInput Outpoint, UtxoEntry Entry, AssetRecord? Asset,
    ModuleRecordChange? Record = null);

/// <summary>
/// A module record (candidate, stake position) going from <see cref="Old"/> to <see cref="New"/> value; null = absent.
/// Undo swaps them. One change per record key per block (the block's overlay keeps only the net change).
/// </summary>
internal sealed record ModuleRecordChange(byte[] Key, byte[]? Old, byte[]? New);

/// <summary>Op buffers of applied blocks (a 5,000-transaction block has ~10,000 ops of ~150 bytes: large-object heap sized).</summary>
internal static class LedgerOpPool
{
    public static LedgerOp[] Rent(int count) => System.Buffers.ArrayPool<LedgerOp>.Shared.Rent(Math.Max(1, count));

    /// <summary>Cleared on return: ops hold asset and record references that must not outlive their block.</summary>
    public static void Return(LedgerOp[] ops) => System.Buffers.ArrayPool<LedgerOp>.Shared.Return(ops, clearArray: true);
}

internal enum LedgerOpKind : byte
{
    CreateUtxo,
    SpendUtxo,
    CreateAsset,
    PutRecord,
}
