using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>
/// In an IssueAsset transaction, outputs whose asset is 32 × 0xff carry the asset being issued (its id depends on
/// the txid, which covers the outputs, so it cannot be written in them). The ledger stores them with the real id.
/// </summary>
public static class AssetPlaceholder
{
    public static readonly Hash32 Value = new([
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

    /// <summary><c>assetId = H(asset, txid)</c>.</summary>
    public static Hash32 AssetIdOf(in Hash32 txid) => DomainHash.Compute(DomainHash.Asset, txid.Span);
}
