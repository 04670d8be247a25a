using MesFast.Core.Codec;

namespace MesFast.Core.Ledger;

/// <summary>
/// Checks one transaction against the committed state at a height: everything the ledger would check when the
/// transaction is applied in a block at <c>height</c>, except its signatures (the caller batch-verifies those).
/// Implemented by the ledger; the mempool calls it at admission. Thread-safe.
/// </summary>
public interface ITxChecker
{
    /// <summary>True when valid; <paramref name="fee"/> is then the MES the transaction leaves to the producer.</summary>
    bool TryCheck(in TxView tx, ulong height, out ulong fee, out TxRejection rejection);
}

/// <summary>Why a transaction was refused: a stable machine code (e.g. <c>"missing-input"</c>) and a sentence for people.</summary>
public readonly record struct TxRejection(string Code, string Message);
