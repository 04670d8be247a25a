using MesFast.Core.Types;

namespace MesFast.Core.Ledger;

/// <summary>One state change of a block, in block order: create or spend an output, or create an asset record.</summary>
internal readonly record struct LedgerOp(LedgerOpKind Kind, int Shard, TxInput Outpoint, UtxoEntry Entry, AssetRecord? Asset);

internal enum LedgerOpKind : byte
{
    CreateUtxo,
    SpendUtxo,
    CreateAsset,
}
