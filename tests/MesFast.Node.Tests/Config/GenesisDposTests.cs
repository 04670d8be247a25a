using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Tests.Config;

/// <summary>The genesis file's optional <c>dpos</c> object: defaults when absent, overrides, field-level errors, round trip.</summary>
public sealed class GenesisDposTests
{
    private static GenesisFile Minimal(GenesisDposEntry? dpos) => new()
    {
        ChainId = 7,
        TimeMs = 1,
        GenesisSeed = new string('a', 64),
        ShardCount = 4,
        MinFeePerByte = "1",
        BlockSubsidy = "100",
        Witnesses = [new GenesisWitnessEntry { PublicKey = new string('b', 64), RewardAddress = new Address(new byte[20]).ToBech32(Address.TestnetHrp) }],
        Dpos = dpos,
    };

    [Fact]
    public void A_genesis_without_dpos_gets_the_defaults()
    {
        var genesis = GenesisLoader.Validate(Minimal(null), "genesis.json");
        Assert.Equal(DposParams.Default, genesis.Dpos);
        Assert.Equal(DposParams.Default, genesis.ToLedgerParams().Dpos);
    }

    [Fact]
    public void Given_fields_override_the_defaults()
    {
        var genesis = GenesisLoader.Validate(Minimal(new GenesisDposEntry { MinWitnesses = 4, MinBond = "5", UnbondingBlocks = 9 }), "genesis.json");
        Assert.Equal(DposParams.Default with { MinWitnesses = 4, MinBond = 5, UnbondingBlocks = 9 }, genesis.Dpos);
    }

    [Theory]
    [InlineData(5, null, "dpos.minWitnesses")]
    [InlineData(null, 10_001, "dpos.lastCommitShareBps")]
    public void Invalid_fields_are_named(int? minWitnesses, int? shareBps, string field)
    {
        var e = Assert.Throws<ConfigException>(() =>
            GenesisLoader.Validate(Minimal(new GenesisDposEntry { MinWitnesses = minWitnesses, LastCommitShareBps = shareBps }), "genesis.json"));
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Written_genesis_reads_back_the_same_parameters()
    {
        var genesis = GenesisLoader.Validate(Minimal(new GenesisDposEntry { MaxWitnesses = 31, IdleBps = 100 }), "genesis.json");
        string path = Path.Combine(Path.GetTempPath(), $"genesis-{Guid.NewGuid():N}.json");
        try
        {
            GenesisLoader.Write(path, genesis);
            Assert.Equal(genesis.Dpos, GenesisLoader.Load(path).Dpos);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
