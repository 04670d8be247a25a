using System.Diagnostics;
using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Staking;
using MesFast.Node.Chain;
using MesFast.Node.Config;
using MesFast.Storage;

namespace MesFast.Node.Commands;

/// <summary>
/// <c>mesd verify --data DIR</c>: replays the whole block log from genesis into a fresh temporary state (every
/// signature verified, every rule checked) and compares each block's stateRoot with the recomputed one. Works on
/// a stopped node's data folder; also the block-replay throughput measurement of perf/.
/// </summary>
internal static class VerifyCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter output)
    {
        var line = CommandLine.Parse(args, "verify", ["--data", "--config", "--shards-dir"], []);
        string dataDir;
        string genesisPath;
        if (line.Value("--config") is { } configPath)
        {
            // A node set up by init or localnet: the config names the data folder and the genesis file.
            var config = NodeConfig.Load(Path.GetFullPath(configPath));
            dataDir = config.DataDir;
            genesisPath = config.GenesisPath;
        }
        else
        {
            dataDir = Path.GetFullPath(line.Value("--data") ?? throw new UsageException("mesd verify: --data DIR or --config FILE is required"));
            genesisPath = Path.Combine(dataDir, DevSetup.GenesisFileName);
        }
        var genesis = GenesisLoader.Load(genesisPath);
        string scratch = line.Value("--shards-dir") is { } d ? Path.GetFullPath(d) : Path.Combine(Path.GetTempPath(), "mesd-verify-" + Guid.NewGuid().ToString("N"));
        if (Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any())
            throw new UsageException($"mesd verify: {scratch} is not empty");
        try
        {
            var (blocks, transactions, seconds, root) = Replay(Path.Combine(dataDir, "blocks"), scratch, genesis, output);
            output.WriteLine($"mesd verify: {blocks} blocks, {transactions} transactions replayed in {seconds:F2} s ({transactions / Math.Max(seconds, 1e-9):F0} tx/s); state root {root} matches the tip header");
            return 0;
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Replays every block; throws InvalidDataException at the first block whose replay disagrees with its header.</summary>
    public static (ulong Blocks, long Transactions, double Seconds, MesFast.Crypto.Hash32 Root) Replay(string blocksDir, string stateDir, Genesis genesis, TextWriter output)
    {
        using var blocks = BlockStore.Open(blocksDir);
        if (blocks.IsEmpty) throw new InvalidDataException($"{blocksDir}: no blocks");
        using var stores = ShardStoreSet.Open(stateDir, genesis.ShardCount, new ShardStoreOptions { MemoryBytes = 256L << 20 });
        var ledger = LedgerState.Open(stores.Shards,
            genesis.ToLedgerParams());
        WitnessSchedule? schedule = null;
        var candidates = new LedgerCandidates(ledger);
        ulong tip = blocks.TipHeight;
        long transactions = 0;
        var clock = Stopwatch.StartNew();
        byte[]? block = blocks.ReadBlock(0);
        PendingVerification? pending = null;
        for (ulong height = 0; height <= tip; height++)
        {
            if (block is null) throw new InvalidDataException($"block {height} is missing");
            if (!BlockView.TryDecode(block, out var view, out var failure)) throw new InvalidDataException($"block {height} does not decode: {failure}");
            // Read the next block and start checking its signatures while this one applies.
            byte[]? following = height < tip ? blocks.ReadBlock(height + 1) : null;
            var current = pending;
            pending = following is not null && BlockView.TryDecode(following, out var next, out _) ? LedgerState.BeginVerification(next, null) : null;
            // The witness schedule is rebuilt from genesis alongside the state; every header must match it.
            if (schedule is not null && !ScheduledBlockRules.Check(schedule, genesis.ChainId, view, verifySignatures: true, out string fieldError))
                throw new InvalidDataException($"block {height} does not match the witness schedule: {fieldError}");
            var rewards = schedule is null ? BlockRewardRecipients.ProposerOnly(default) : ScheduledBlockRules.RewardsFor(schedule, view);
            if (!ledger.TryApplyBlock(view, rewards, null, out _, out var rejection, current))
                throw new InvalidDataException($"block {height} is invalid on replay: {rejection}");
            if (ledger.StateRoot != view.Header.StateRoot)
                throw new InvalidDataException($"block {height}: replayed state root {ledger.StateRoot}, header says {view.Header.StateRoot}");
            var blockHash = view.ComputeHash();
            if (schedule is null) schedule = WitnessSchedule.AtGenesis(genesis.Witnesses, genesis.Dpos, blockHash);
            else ScheduledBlockRules.Advance(schedule, view, blockHash, candidates);
            transactions += view.TxCount;
            block = following;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        _ = output;
        return (tip + 1, transactions, seconds, ledger.StateRoot);
    }
}
