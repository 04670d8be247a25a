using MesFast.Core.Codec;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>IssueAsset: the payload describes the asset; placeholder outputs must carry exactly its supply.</summary>
internal static class IssueAssetRules
{
    public static bool TryCheck(in TxView tx, ulong placeholderSum, out IssueAssetPayload? issued, out TxRejection rejection)
    {
        if (!IssueAssetPayload.TryParse(tx.Payload, out issued, out string problem))
            return TxRules.Reject(LedgerErrors.BadPayload, $"IssueAsset payload: {problem}", out rejection);
        if (placeholderSum != issued!.Supply)
            return TxRules.Reject(LedgerErrors.SupplyMismatch,
                $"outputs of the new asset (asset ff…ff) sum to {placeholderSum}, the supply is {issued.Supply}", out rejection);
        rejection = default;
        return true;
    }
}
