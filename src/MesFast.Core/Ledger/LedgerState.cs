using System.Buffers.Binary;
using MesFast.Core.Codec;
using MesFast.Core.Ssa;
using MesFast.Core.Storage;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// The multi-asset UTXO state split into S SSA shards (DESIGN §7), each an <see cref="IShardStore"/> with its own
/// LtHash; <c>stateRoot</c> = Merkle root of <c>H(ssa, LtHash)</c> per shard. Blocks are applied by one thread
/// (the chain); the per-shard work of a block runs in parallel, one task per shard, ops in block order, so the
/// result does not depend on the thread count. Queries are safe from any thread.
/// </summary>
public sealed partial class LedgerState : IUtxoView, ITxChecker, Staking.IStakingRecords
{
    private const int MetaSize = LtHash.ByteLength + 8;

    private readonly IShardStore[] _shards;
    private readonly LtHash[] _ltHashes;
    private readonly AddressIndex _addresses = new();
    private readonly CommittedInputs _committed;
    /// <summary>Height + 1 of the last applied block, 0 before genesis (a ulong so readers see it atomically).</summary>
    private ulong _nextHeight;
    private Hash32? _stateRoot;

    private LedgerState(IShardStore[] shards, LedgerParams rules)
    {
        _shards = shards;
        Rules = rules;
        Map = new ShardMap(rules.GenesisSeed, rules.ShardCount);
        _ltHashes = new LtHash[shards.Length];
        _committed = new CommittedInputs(this);
    }

    public LedgerParams Rules { get; }

    public ShardMap Map { get; }

    /// <summary>Height of the last applied block; null before genesis.</summary>
    public ulong? Height => Volatile.Read(ref _nextHeight) is var next && next == 0 ? null : next - 1;

    public int ShardCount => _shards.Length;

    /// <summary>Opens the ledger over its shard stores: restores each shard's LtHash and the height from the meta records, rebuilds the address index.</summary>
    public static LedgerState Open(IShardStore[] shards, LedgerParams rules)
    {
        if (shards.Length != rules.ShardCount)
            throw new ArgumentException($"{shards.Length} shard stores for a chain of {rules.ShardCount} shards", nameof(shards));
        var state = new LedgerState(shards, rules);
        var meta = new byte[MetaSize];
        ulong? height = null;
        bool anyMeta = false, anyMissing = false;
        for (int s = 0; s < shards.Length; s++)
        {
            if (shards[s].Shard != s) throw new ArgumentException($"store {s} holds shard {shards[s].Shard}", nameof(shards));
            int length = shards[s].Read(RecordKeys.Meta, meta);
            if (length < 0)
            {
                anyMissing = true;
                state._ltHashes[s] = new LtHash();
                continue;
            }
            if (length != MetaSize) throw new InvalidDataException($"shard {s}: meta record is {length} bytes, expected {MetaSize}");
            anyMeta = true;
            state._ltHashes[s] = LtHash.FromBytes(meta.AsSpan(0, LtHash.ByteLength));
            ulong h = BinaryPrimitives.ReadUInt64LittleEndian(meta.AsSpan(LtHash.ByteLength));
            if (height is { } other && other != h)
                throw new InvalidDataException($"shard {s} is at height {h} but another shard is at {other}; the shard stores are not from one checkpoint");
            height = h;
        }
        if (anyMeta && anyMissing) throw new InvalidDataException("some shards have a checkpointed state and others none");
        state._nextHeight = height is { } last ? last + 1 : 0;
        for (int s = 0; s < shards.Length; s++)
        {
            shards[s].ForEach((key, value) =>
            {
                if (key.Length == RecordKeys.UtxoKeySize && key[0] == RecordKeys.UtxoType)
                    state._addresses.Add(UtxoRecord.Read(value).Owner, RecordKeys.ReadUtxoKey(key));
                else if (key.Length == RecordKeys.ModuleKeySize && key[0] == RecordKeys.CandidateType)
                    state._candidates.Set(key, value);
            });
        }
        return state;
    }

    /// <summary>Merkle root of the shard roots (DESIGN §4).</summary>
    public Hash32 StateRoot
    {
        get
        {
            if (_stateRoot is { } cached) return cached;
            Span<Hash32> roots = stackalloc Hash32[_shards.Length];
            for (int s = 0; s < roots.Length; s++) roots[s] = _ltHashes[s].Digest();
            var root = MerkleTree.ComputeRoot(roots);
            _stateRoot = root;
            return root;
        }
    }

    /// <summary><c>H(ssa, LtHash of the shard)</c>.</summary>
    public Hash32 ShardRoot(int shard) => _ltHashes[shard].Digest();

    /// <summary>Live records in a shard (state records plus the meta record once checkpointed).</summary>
    public long ShardRecordCount(int shard) => _shards[shard].Count;

    public long ShardDiskBytes(int shard) => _shards[shard].DiskBytes;

    public bool TryGetUtxo(in TxInput outpoint, out UtxoEntry entry)
    {
        Span<byte> key = stackalloc byte[RecordKeys.UtxoKeySize];
        RecordKeys.WriteUtxoKey(outpoint, key);
        Span<byte> value = stackalloc byte[UtxoRecord.Size];
        if (_shards[Map.ShardOf(key)].Read(key, value) != UtxoRecord.Size)
        {
            entry = default;
            return false;
        }
        entry = UtxoRecord.Read(value);
        return true;
    }

    public bool TryGetAsset(in Hash32 assetId, out AssetRecord? asset)
    {
        if (assetId == Hash32.Zero)
        {
            asset = AssetRecord.Mes;
            return true;
        }
        Span<byte> key = stackalloc byte[RecordKeys.AssetKeySize];
        RecordKeys.WriteAssetKey(assetId, key);
        var value = new byte[1024];
        int length = _shards[Map.ShardOf(key)].Read(key, value);
        asset = length < 0 ? null : AssetRecord.Decode(assetId, value.AsSpan(0, length));
        return asset is not null;
    }

    /// <summary>Live outputs of an owner (with their entries).</summary>
    public List<(TxInput Outpoint, UtxoEntry Entry)> GetUtxos(in Address owner)
    {
        var outpoints = _addresses.Outpoints(owner);
        var result = new List<(TxInput, UtxoEntry)>(outpoints.Length);
        foreach (var outpoint in outpoints)
            if (TryGetUtxo(outpoint, out var entry) && entry.Owner == owner) result.Add((outpoint, entry));
        result.Sort(static (a, b) => a.Item2.Height != b.Item2.Height ? a.Item2.Height.CompareTo(b.Item2.Height)
            : a.Item1.TxId.Span.SequenceCompareTo(b.Item1.TxId.Span) is var c && c != 0 ? c : a.Item1.Index.CompareTo(b.Item1.Index));
        return result;
    }

    /// <summary>Sum of an owner's live outputs of one asset (saturating: a balance cannot exceed total supply anyway).</summary>
    public ulong GetBalance(in Address owner, in Hash32 asset)
    {
        ulong total = 0;
        foreach (var (_, entry) in GetUtxos(owner))
            if (entry.Asset == asset) total = ulong.MaxValue - total < entry.Amount ? ulong.MaxValue : total + entry.Amount;
        return total;
    }

    // No zeroing of the 18 KiB input buffer on every admission: TxRules writes each entry before reading it.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public bool TryCheck(in TxView tx, ulong height, out ulong fee, out TxRejection rejection)
    {
        Span<UtxoEntry> resolved = stackalloc UtxoEntry[ProtocolLimits.MaxInputs];
        // A staking transaction is checked against committed records through a throw-away overlay.
        var staking = Kinds.StakingRules.IsStakingKind(tx.Kind) ? new Staking.StakingOverlay(this) : null;
        return TxRules.TryCheck(tx, height, Rules, _committed, resolved, staking, Hash32.Zero, out fee, out _, out _, out rejection);
    }

    /// <summary>Writes each shard's LtHash and the height into its meta record, then checkpoints all shards at that height; returns once durable.</summary>
    public void Checkpoint() => BeginCheckpoint().GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Checkpoint"/> that returns as soon as the snapshot's content is fixed (blocks applied afterwards are
    /// not in it); the task completes when every shard's snapshot is on disk. Call between blocks, on the apply thread.
    /// </summary>
    public Task BeginCheckpoint()
    {
        ulong height = Height ?? throw new InvalidOperationException("nothing to checkpoint before genesis");
        var checkpoints = new Task[_shards.Length];
        var meta = new byte[MetaSize];
        for (int s = 0; s < _shards.Length; s++)
        {
            _ltHashes[s].CopyTo(meta);
            BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(LtHash.ByteLength), height);
            _shards[s].Upsert(RecordKeys.Meta, meta);
            checkpoints[s] = _shards[s].BeginCheckpoint(height);
        }
        return Task.WhenAll(checkpoints);
    }

    /// <summary>The outpoint of a block's reward output: <c>(H(tx, "reward" ‖ u64 height), 0)</c> (PROTOCOL §7.3).</summary>
    public static TxInput RewardOutpoint(ulong height)
    {
        Span<byte> preimage = stackalloc byte[6 + 8];
        "reward"u8.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64LittleEndian(preimage[6..], height);
        return new TxInput(DomainHash.Compute(DomainHash.Tx, preimage), 0);
    }

    /// <summary>Resolves inputs against committed state only (mempool admission).</summary>
    private sealed class CommittedInputs(LedgerState state) : IInputSource
    {
        public bool TryResolve(in TxInput outpoint, out UtxoEntry entry, out string errorCode)
        {
            errorCode = LedgerErrors.MissingInput;
            return state.TryGetUtxo(outpoint, out entry);
        }
    }
}
