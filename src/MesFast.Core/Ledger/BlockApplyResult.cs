using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// What applying a block changed: enough to revert it (a proposal that does not become final) and what the mempool
/// needs (spent outputs, fees, txids). Its op list is a pooled buffer: dispose the result once the block is final
/// (<see cref="LedgerState.Revert"/> disposes a reverted one); blocks of thousands of transactions otherwise left
/// megabytes of large-object garbage per block.
/// </summary>
public sealed class BlockApplyResult : IDisposable
{
    private LedgerOp[]? _ops;

    internal BlockApplyResult(ulong height, ulong? previousHeight, LtHash[] previousLtHashes, LedgerOp[] ops, int opCount, Hash32[] txIds,
        ulong[] txFees, ulong fees)
    {
        Height = height;
        PreviousHeight = previousHeight;
        PreviousLtHashes = previousLtHashes;
        _ops = ops;
        OpCount = opCount;
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

    /// <summary>The block's ops in <c>[0, OpCount)</c> (the pooled buffer may be longer).</summary>
    internal LedgerOp[] Ops => _ops ?? throw new ObjectDisposedException(nameof(BlockApplyResult), $"the ops of block {Height} were released");

    internal int OpCount { get; }

    /// <summary>Outpoints spent, as a flat array (the mempool drops pooled transactions that conflict with them).</summary>
    public TxInput[] SpentOutpoints()
    {
        var ops = Ops.AsSpan(0, OpCount);
        int n = 0;
        foreach (ref readonly var op in ops) if (op.Kind == LedgerOpKind.SpendUtxo) n++;
        var spent = new TxInput[n];
        n = 0;
        foreach (ref readonly var op in ops) if (op.Kind == LedgerOpKind.SpendUtxo) spent[n++] = op.Outpoint;
        return spent;
    }

    /// <summary>Returns the op buffer to the pool: the result can no longer be reverted. Idempotent.</summary>
    public void Dispose()
    {
        var ops = Interlocked.Exchange(ref _ops, null);
        if (ops is not null) LedgerOpPool.Return(ops);
    }
}
