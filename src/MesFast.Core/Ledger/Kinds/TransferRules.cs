using MesFast.Core.Codec;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>Transfer: moves assets between owners; the common rules are all it needs, plus an empty payload.</summary>
internal static class TransferRules
{
    /// <summary>Payloads are kind-specific; a Transfer carries a short memo at most (kept out of state).</summary>
    public const int MaxMemoBytes = 256;

    public static bool TryCheck(in TxView tx, out TxRejection rejection)
    {
        if (tx.PayloadLength > MaxMemoBytes)
            return TxRules.Reject(LedgerErrors.BadPayload, $"a Transfer memo is at most {MaxMemoBytes} bytes, got {tx.PayloadLength}", out rejection);
        rejection = default;
        return true;
    }
}
