using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>The outcome of a submission: accepted with its txid, or refused with a code and a message.</summary>
public readonly record struct SubmitResult(bool Accepted, Hash32 TxId, string Code, string Message)
{
    public static SubmitResult Ok(in Hash32 txId) => new(true, txId, "", "");

    public static SubmitResult Refused(string code, string message, in Hash32 txId = default) => new(false, txId, code, message);
}

/// <summary>Mempool-specific refusal codes (ledger codes pass through unchanged).</summary>
public static class MempoolErrors
{
    public const string Decode = "decode";
    public const string Duplicate = "duplicate";
    public const string BadSignature = "bad-signature";
    public const string Conflict = "conflict";
    public const string Expired = "expired";
    public const string Full = "mempool-full";
    public const string Busy = "busy";
    public const string ShuttingDown = "shutting-down";
}
