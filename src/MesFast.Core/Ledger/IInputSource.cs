using MesFast.Core.Types;

namespace MesFast.Core.Ledger;

/// <summary>Where a transaction's inputs are looked up: committed state, or committed state plus a block's own changes.</summary>
internal interface IInputSource
{
    /// <summary>Resolves an outpoint; on failure gives the rejection code (missing-input or double-spend).</summary>
    bool TryResolve(in TxInput outpoint, out UtxoEntry entry, out string errorCode);
}
