using MesFast.Core.Types;

namespace MesFast.Core.Ledger;

/// <summary>Read access to the committed UTXO set (the mempool checks admissions against it). Thread-safe.</summary>
public interface IUtxoView
{
    /// <summary>Looks up a live output; false when it does not exist or is spent.</summary>
    bool TryGetUtxo(in TxInput outpoint, out UtxoEntry entry);
}
