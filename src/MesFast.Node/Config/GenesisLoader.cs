using System.Text.Json;
using MesFast.Core;
using MesFast.Core.Dpos;
using MesFast.Crypto;

namespace MesFast.Node.Config;

/// <summary>Reads, validates and writes genesis files.</summary>
internal static class GenesisLoader
{
    public const int MaxShardCount = 256;

    public static Genesis Load(string path)
    {
        string name = Path.GetFileName(path);
        var file = JsonFiles.Read(path, ConfigJsonContext.Default.GenesisFile);
        return Validate(file, name);
    }

    public static Genesis Validate(GenesisFile file, string name)
    {
        uint chainId = FieldParsers.Required(file.ChainId, name, "chainId");
        string hrp = chainId == Genesis.MainnetChainId ? Address.MainnetHrp : Address.TestnetHrp;
        int shards = FieldParsers.Required(file.ShardCount, name, "shardCount");
        if (shards < 1 || shards > MaxShardCount || (shards & (shards - 1)) != 0)
            throw new ConfigException($"{name}: field 'shardCount' must be a power of two from 1 to {MaxShardCount}, got {shards}");
        int interval = file.BlockIntervalMs ?? 500;
        if (interval < 50 || interval > 60_000)
            throw new ConfigException($"{name}: field 'blockIntervalMs' must be 50 … 60000, got {interval}");

        var witnessEntries = file.Witnesses;
        if (witnessEntries is null || witnessEntries.Count == 0)
            throw new ConfigException($"{name}: field 'witnesses' must list at least one witness");
        if (witnessEntries.Count > ProtocolLimits.MaxWitnessCount)
            throw new ConfigException($"{name}: field 'witnesses' has {witnessEntries.Count} entries, the limit is {ProtocolLimits.MaxWitnessCount}");
        var witnesses = new GenesisWitness[witnessEntries.Count];
        for (int i = 0; i < witnesses.Length; i++)
        {
            var w = witnessEntries[i];
            witnesses[i] = new GenesisWitness(
                FieldParsers.Hex32(w.PublicKey, name, $"witnesses[{i}].publicKey"),
                FieldParsers.Address(w.RewardAddress, hrp, name, $"witnesses[{i}].rewardAddress"));
            for (int j = 0; j < i; j++)
                if (witnesses[j].PublicKey == witnesses[i].PublicKey)
                    throw new ConfigException($"{name}: field 'witnesses[{i}].publicKey' repeats witnesses[{j}]");
        }

        var allocationEntries = file.Allocations ?? [];
        if (allocationEntries.Count > ProtocolLimits.MaxOutputs)
            throw new ConfigException($"{name}: field 'allocations' has {allocationEntries.Count} entries, the limit is {ProtocolLimits.MaxOutputs}");
        var allocations = new GenesisAllocation[allocationEntries.Count];
        ulong total = 0;
        for (int i = 0; i < allocations.Length; i++)
        {
            var a = allocationEntries[i];
            ulong amount = FieldParsers.Amount(a.Amount, name, $"allocations[{i}].amount");
            if (amount == 0) throw new ConfigException($"{name}: field 'allocations[{i}].amount' must be above 0");
            if (ulong.MaxValue - total < amount) throw new ConfigException($"{name}: field 'allocations' sums over 2^64 - 1 units");
            total += amount;
            allocations[i] = new GenesisAllocation(FieldParsers.Address(a.Address, hrp, name, $"allocations[{i}].address"), amount);
        }

        return new Genesis(
            chainId,
            FieldParsers.Required(file.TimeMs, name, "timeMs"),
            FieldParsers.Hex32(file.GenesisSeed, name, "genesisSeed"),
            shards,
            FieldParsers.Amount(file.MinFeePerByte, name, "minFeePerByte"),
            FieldParsers.Amount(file.BlockSubsidy, name, "blockSubsidy"),
            interval,
            witnesses,
            allocations)
        {
            Dpos = ValidateDpos(file.Dpos, name),
        };
    }

    private static DposParams ValidateDpos(GenesisDposEntry? entry, string name)
    {
        var defaults = DposParams.Default;
        if (entry is null) return defaults;
        var dpos = new DposParams
        {
            EpochRounds = entry.EpochRounds ?? defaults.EpochRounds,
            MinWitnesses = entry.MinWitnesses ?? defaults.MinWitnesses,
            MaxWitnesses = entry.MaxWitnesses ?? defaults.MaxWitnesses,
            IdleBps = entry.IdleBps ?? defaults.IdleBps,
            CongestedBps = entry.CongestedBps ?? defaults.CongestedBps,
            MaxMissesPerEpoch = entry.MaxMissesPerEpoch ?? defaults.MaxMissesPerEpoch,
            UnbondingBlocks = entry.UnbondingBlocks ?? defaults.UnbondingBlocks,
            MinBond = entry.MinBond is null ? defaults.MinBond : FieldParsers.Amount(entry.MinBond, name, "dpos.minBond"),
            LastCommitShareBps = entry.LastCommitShareBps ?? defaults.LastCommitShareBps,
        };
        if (!dpos.TryValidate(out string field, out string problem))
            throw new ConfigException($"{name}: field 'dpos.{field}' {problem}");
        return dpos;
    }

    public static void Write(string path, Genesis genesis)
    {
        var file = new GenesisFile
        {
            ChainId = genesis.ChainId,
            TimeMs = genesis.TimeMs,
            GenesisSeed = genesis.Seed.ToString(),
            ShardCount = genesis.ShardCount,
            MinFeePerByte = genesis.MinFeePerByte.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BlockSubsidy = genesis.BlockSubsidy.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BlockIntervalMs = genesis.BlockIntervalMs,
            Witnesses = [],
            Allocations = [],
            Dpos = new GenesisDposEntry
            {
                EpochRounds = genesis.Dpos.EpochRounds,
                MinWitnesses = genesis.Dpos.MinWitnesses,
                MaxWitnesses = genesis.Dpos.MaxWitnesses,
                IdleBps = genesis.Dpos.IdleBps,
                CongestedBps = genesis.Dpos.CongestedBps,
                MaxMissesPerEpoch = genesis.Dpos.MaxMissesPerEpoch,
                UnbondingBlocks = genesis.Dpos.UnbondingBlocks,
                MinBond = genesis.Dpos.MinBond.ToString(System.Globalization.CultureInfo.InvariantCulture),
                LastCommitShareBps = genesis.Dpos.LastCommitShareBps,
            },
        };
        foreach (var w in genesis.Witnesses)
            file.Witnesses.Add(new GenesisWitnessEntry { PublicKey = w.PublicKey.ToString(), RewardAddress = w.RewardAddress.ToBech32(genesis.Hrp) });
        foreach (var a in genesis.Allocations)
            file.Allocations.Add(new GenesisAllocationEntry
            {
                Address = a.Address.ToBech32(genesis.Hrp),
                Amount = a.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        JsonFiles.Write(path, file, ConfigJsonContext.Default.GenesisFile);
    }
}
