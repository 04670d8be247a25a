using MesFast.Crypto;

namespace MesFast.Client;

/// <summary>An unspent output as mes_getUtxos returns it.</summary>
public sealed record UtxoInfo(Hash32 TxId, ushort Index, Hash32 Asset, ulong Amount, string Owner, ulong Height);

/// <summary>An asset as mes_getAsset returns it.</summary>
public sealed record AssetInfo(Hash32 Id, string Name, string Symbol, int Decimals, ulong Supply, string? Issuer, Hash32 TxId, ulong Height);

/// <summary>A transaction's status as mes_getTransaction returns it.</summary>
public sealed record TransactionInfo(Hash32 TxId, string Kind, string Status, ulong? Height, string? BlockHash, int? Index, ulong? Fee,
    int Size, IReadOnlyList<(Hash32 Asset, ulong Amount, string Owner)> Outputs, string Raw);

/// <summary>Fee rates as mes_estimateFee returns them.</summary>
public sealed record FeeEstimate(ulong MinFeePerByte, ulong SuggestedFeePerByte);
