using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// What applying a block changed: enough to revert it (a proposal that does not become final) and the lists
/// indexers need (created and spent outputs, issued assets, fees).
/// </summary>
public sealed class BlockApplyResult
{
    internal BlockApplyResult(ulong height, ulong? previousHeight, LtHash[] previousLtHashes, LedgerOp[] ops, Hash32[] txIds, ulong[] txFees, ulong fees)
    {
        Height = height;
        PreviousHeight = previousHeight;
        PreviousLtHashes = previousLtHashes;
        Ops = ops;
        TxIds = txIds;
        TxFees = txFees;
        Fees = fees;
    }

    public ulong Height { get; }

    public ulong? PreviousHeight { get; }

    /// <summary>Transaction ids of the block, in order.</summary>
    public Hash32[] TxIds { get; }

    /// <summary>The fee each transaction paid, in block order.</summary>
    public ulong[] TxFees { get; }

    /// <summary>Sum of the fees the block's transactions paid.</summary>
    public ulong Fees { get; }

    internal LtHash[] PreviousLtHashes { get; }

    internal LedgerOp[] Ops { get; }

    /// <summary>Outputs spent by the block (with what they held).</summary>
    public IEnumerable<(TxInput Outpoint, UtxoEntry Entry)> Spent
    {
        get
        {
            foreach (var op in Ops)
                if (op.Kind == LedgerOpKind.SpendUtxo) yield return (op.Outpoint, op.Entry);
        }
    }

    /// <summary>Outputs created by the block, the reward output included.</summary>
    public IEnumerable<(TxInput Outpoint, UtxoEntry Entry)> Created
    {
        get
        {
            foreach (var op in Ops)
                if (op.Kind == LedgerOpKind.CreateUtxo) yield return (op.Outpoint, op.Entry);
        }
    }

    public IEnumerable<AssetRecord> IssuedAssets
    {
        get
        {
            foreach (var op in Ops)
                if (op.Kind == LedgerOpKind.CreateAsset) yield return op.Asset!;
        }
    }

    /// <summary>Outpoints spent, as a flat array (the mempool drops pooled transactions that conflict with them).</summary>
    public TxInput[] SpentOutpoints()
    {
        int n = 0;
        foreach (var op in Ops) if (op.Kind == LedgerOpKind.SpendUtxo) n++;
        var spent = new TxInput[n];
        n = 0;
        foreach (var op in Ops) if (op.Kind == LedgerOpKind.SpendUtxo) spent[n++] = op.Outpoint;
        return spent;
    }
}
