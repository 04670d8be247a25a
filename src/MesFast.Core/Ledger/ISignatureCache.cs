using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// Transactions whose signatures were already verified (at mempool admission), so block validation does not
/// verify them again (DESIGN §8). The txid does not cover the witnesses, so a hit must also match the exact
/// encoding that was verified. Thread-safe.
/// </summary>
public interface ISignatureCache
{
    /// <summary>True when a transaction with this txid and exactly this full encoding passed signature verification.</summary>
    bool WasVerified(in Hash32 txid, ReadOnlySpan<byte> fullEncoding);
}
