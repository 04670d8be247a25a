using MesFast.Core;
using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Node.Config;
using MesFast.Storage;
using CoreMempool = MesFast.Core.Mempool.Mempool;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Chain;

/// <summary>
/// The chain of one node: storage, ledger, mempool and the SPBFT engine, driven by one chain thread that owns the
/// engine and applies blocks (the per-shard work inside a block runs in parallel). Pipeline of a final block:
/// block log append + commit (durable) → mempool cleanup → shard checkpoint every K blocks → subscribers.
/// A transaction is reported final only after its block is durable in the log.
/// </summary>
internal sealed partial class ChainService : IConsensusHost, IDisposable
{
    private const int TickMs = 20;

    private readonly NodeConfig _config;
    private readonly ShardStoreSet _stores;
    private readonly BlockStore _blocks;
    private readonly byte[]? _witnessSeed;
    private readonly Hash32? _selfKey;
    private readonly TextWriter _log;
    private SpbftEngine _engine;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _faulted = new();
    private readonly ThroughputMeter _throughput = new();
    private BlockApplyResult? _pending;
    private Hash32 _pendingHash;
    private Hash32 _tipHash;
    private ulong _tipTimeMs;
    private CommitCertificate _lastCommit;
    private long _tipHeight;
    /// <summary>Height of the newest durable final block: what clients are told (the committer thread writes it).</summary>
    private long _finalHeight;
    private BlockLogCommitter? _committer;
    /// <summary>Final blocks appended but not yet durable, oldest first, with their certificates (chain thread in, committer out).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<(FinalizedBlock Block, byte[] Certificate)> _undurable = new();

    private ChainService(NodeConfig config, Genesis genesis, ShardStoreSet stores, BlockStore blocks, LedgerState ledger,
        byte[]? witnessSeed, TextWriter log)
    {
        _config = config;
        Genesis = genesis;
        _stores = stores;
        _blocks = blocks;
        Ledger = ledger;
        _witnessSeed = witnessSeed;
        _log = log;
        GenesisWitnesses = new WitnessSet(genesis.Witnesses);
        if (witnessSeed is not null)
        {
            Span<byte> publicKey = stackalloc byte[32];
            CryptoEd25519.PublicKeyFromSeed(witnessSeed, publicKey);
            _selfKey = new Hash32(publicKey);
        }
        Hash32 phaseSeed = _selfKey ?? Blake3.Hash(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(config.DataDir)));
        CheckpointPhase = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(phaseSeed.Span) % (ulong)config.CheckpointInterval;
        _lastCommit = new CommitCertificate();
        Mempool = null!;
        _engine = null!;
        _thread = new Thread(RunLoop) { Name = "mesd-chain", IsBackground = true };
    }

    public Genesis Genesis { get; }

    /// <summary>Hash of block 0: peers must agree on it in the handshake.</summary>
    public Hash32 GenesisHash { get; private set; }

    /// <summary>The genesis witnesses: the set of epoch 0 and the fill-in of later elections (PROTOCOL §11.7).</summary>
    public WitnessSet GenesisWitnesses { get; }

    public LedgerState Ledger { get; }

    public CoreMempool Mempool { get; private set; }

    public BlockStore Blocks => _blocks;

    /// <summary>Height of the newest final block the chain thread has applied (consensus works from it).</summary>
    public ulong TipHeight => (ulong)Interlocked.Read(ref _tipHeight);

    /// <summary>Height of the newest final block that is durable here: the one clients are told about (RPC, metrics).</summary>
    public ulong FinalHeight => (ulong)Volatile.Read(ref _finalHeight);

    /// <summary>Final transactions per second over the last ten seconds.</summary>
    public double TxPerSecond => _throughput.PerSecond(Environment.TickCount64);

    /// <summary>True when this node's witness key is in the set of the next height.</summary>
    public bool IsWitness => SelfIndexAt(TipHeight + 1) >= 0;

    public int MempoolCapacity => _config.MempoolMaxTxs;


    public uint ChainId => Genesis.ChainId;

    /// <summary>Set when the chain thread stopped on a storage fault; the host then shuts the node down (exit code 1).</summary>
    public WaitHandle Faulted => _faulted.WaitHandle;

    /// <summary>What stopped the chain thread, when <see cref="Faulted"/> is set.</summary>
    public string? FaultMessage { get; private set; }

    /// <summary>Raised after a block is final and durable here (on the block-log committer thread, in height order); handlers must not block.</summary>
    public event Action<FinalizedBlock>? BlockFinalized;

    /// <summary>Opens (or creates from genesis) the node's data, recovers the state and replays the block log.</summary>
    public static ChainService Open(NodeConfig config, Genesis genesis, byte[]? witnessSeed, TextWriter log)
    {
        Directory.CreateDirectory(config.DataDir);
        var stores = ShardStoreSet.Open(Path.Combine(config.DataDir, "state"), genesis.ShardCount,
            new ShardStoreOptions { MemoryBytes = (long)config.StateMemoryMiB << 20 });
        BlockStore? blocks = null;
        try
        {
            blocks = BlockStore.Open(Path.Combine(config.DataDir, "blocks"));
            var ledger = LedgerState.Open(stores.Shards,
                genesis.ToLedgerParams());
            var chain = new ChainService(config, genesis, stores, blocks, ledger, witnessSeed, log);
            chain.Recover();
            chain._finalHeight = (long)chain.TipHeight;
            BlockView.TryDecode(blocks.ReadBlock(0) ?? throw new InvalidDataException("block 0 is missing from the block log"), out var genesisView, out _);
            chain.GenesisHash = genesisView.ComputeHash();
            chain.Mempool = new CoreMempool(new Core.Mempool.MempoolOptions { MaxCount = config.MempoolMaxTxs, MaxBytes = config.MempoolMaxBytes },
                ledger, chain.TipHeight + 1);
            chain.InitEngine();
            return chain;
        }
        catch
        {
            blocks?.Dispose();
            stores.Dispose();
            throw;
        }
    }

    public void Start()
    {
        _committer = new BlockLogCommitter(_blocks, OnDurable);
        _thread.Start();
    }

    /// <summary>Stops the chain thread, checkpoints the state at the tip (a fast restart) and closes storage.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsAlive) _thread.Join();
        try
        {
            // Everything final is made durable before the checkpoint (which must not be ahead of the log); a log that
            // cannot be committed gets no checkpoint (the next start recovers from the previous one).
            bool durable = _committer?.Fault is null;
            if (durable && _committer is not null && !_blocks.IsEmpty) _committer.WaitDurable(TipHeight);
            _committer?.Dispose();
            AwaitCheckpoint();
            if (_pending is not null) Ledger.Revert(_pending);
            if (durable && Ledger.Height is not null && Ledger.Height != LastCheckpointHeight)
            {
                WitnessScheduleFile.Write(BlocksDir, _schedule);
                Ledger.Checkpoint();
                _blocks.CheckpointIndex();
            }
        }
        finally
        {
            Mempool?.Dispose();
            _blocks.Dispose();
            _stores.Dispose();
            _stop.Dispose();
            _faulted.Dispose();
            _wake.Dispose();
        }
    }

    private ulong? LastCheckpointHeight { get; set; }

    /// <summary>
    /// Where in the checkpoint interval this node checkpoints, from its key (or data directory): witnesses flushing their
    /// state at the same height stalled block commits on all of them at once (a shared disk on one host; and a quorum
    /// that slows down together anywhere). Recovery takes any checkpoint height.
    /// </summary>
    private ulong CheckpointPhase { get; }

    /// <summary>The state and block-index checkpoint still writing to disk, if any (chain thread only).</summary>
    private Task? _checkpoint;

    /// <summary>Waits for the checkpoint in flight; its disk failure surfaces here as the environment fault it is.</summary>
    private void AwaitCheckpoint()
    {
        var checkpoint = _checkpoint;
        _checkpoint = null;
        checkpoint?.GetAwaiter().GetResult();
    }

    private void InitEngine()
    {
        // A view gets several block intervals before witnesses give up on its proposer: building, sending and
        // executing a large block on a loaded machine took over 2 s, and a needless view change costs more than
        // a slower reaction to a dead proposer.
        long viewTimeoutMs = Math.Max(3_000, 6L * Genesis.BlockIntervalMs);
        _engine = new SpbftEngine(this, TipHeight + 1, new SpbftOptions { BaseTimeoutMs = viewTimeoutMs });
        _proposalSizer = new ProposalSizer(viewTimeoutMs);
        PublishTip(TipHeight, _tipHash, _lastCommit.ToBytes());
    }

    private void RunLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_checkpoint is { IsCompleted: true }) AwaitCheckpoint();
                if (_committer?.Fault is { } fault) throw new IOException($"the block log cannot be committed: {fault.Message}", fault);
                DrainInbox();
                _engine.OnTick(NowMs());
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                // Storage failing under the node is fatal: stop producing rather than fork from a broken state.
                FaultMessage = e.Message;
                _log.WriteLine($"mesd: chain stopped: {e.Message}");
                _faulted.Set();
                break;
            }
            // Woken early by messages from peers; otherwise ticks drive proposals and view timeouts.
            WaitHandle.WaitAny([_stop.Token.WaitHandle, _wake], TickMs);
        }
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
