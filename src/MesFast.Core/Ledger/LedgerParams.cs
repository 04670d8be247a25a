using MesFast.Core.Dpos;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>Genesis parameters the ledger's rules depend on.</summary>
public sealed record LedgerParams(uint ChainId, Hash32 GenesisSeed, int ShardCount, ulong MinFeePerByte, ulong BlockSubsidy)
{
    /// <summary>DPoS, reward and DEC parameters (defaults when the genesis names none).</summary>
    public DposParams Dpos { get; init; } = DposParams.Default;
}
