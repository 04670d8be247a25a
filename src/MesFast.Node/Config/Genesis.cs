using MesFast.Core.Dpos;
using MesFast.Core.Ledger;
using MesFast.Crypto;

namespace MesFast.Node.Config;

/// <summary>A validated genesis: the chain's fixed parameters and its initial witnesses and allocations.</summary>
internal sealed record Genesis(
    uint ChainId,
    ulong TimeMs,
    Hash32 Seed,
    int ShardCount,
    ulong MinFeePerByte,
    ulong BlockSubsidy,
    int BlockIntervalMs,
    GenesisWitness[] Witnesses,
    GenesisAllocation[] Allocations)
{
    /// <summary>Chain id 1 is mainnet (<c>mes</c> addresses); every other chain uses <c>tmes</c>.</summary>
    public const uint MainnetChainId = 1;

    /// <summary>The chain id <c>mesd dev</c> uses.</summary>
    public const uint DevChainId = 1000;

    public string Hrp => ChainId == MainnetChainId ? Address.MainnetHrp : Address.TestnetHrp;

    /// <summary>DPoS, reward and DEC parameters (the genesis file's optional <c>dpos</c> object; defaults when absent).</summary>
    public DposParams Dpos { get; init; } = DposParams.Default;

    /// <summary>The parameters the ledger's rules depend on.</summary>
    public LedgerParams ToLedgerParams() => new(ChainId, Seed, ShardCount, MinFeePerByte, BlockSubsidy) { Dpos = Dpos };
}

/// <summary>A genesis witness: its node (signing) key and the address its rewards go to.</summary>
internal readonly record struct GenesisWitness(Hash32 PublicKey, Address RewardAddress);

/// <summary>MES base units credited to an address in block 0.</summary>
internal readonly record struct GenesisAllocation(Address Address, ulong Amount);
