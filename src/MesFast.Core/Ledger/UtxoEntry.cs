using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>A live unspent output: what an outpoint <c>(txid, index)</c> holds, and the height that created it.</summary>
public readonly record struct UtxoEntry(Hash32 Asset, ulong Amount, Address Owner, ulong Height);
