using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using FASTER.core;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Storage;

/// <summary>
/// The block log (DESIGN §8): final blocks with their commit certificates as LZ4 frames in a FasterLog, a height → log
/// address file, and an index store (txid → height and position, block hash → height) checkpointed with the state.
/// One thread appends, one (possibly another) commits; readers on any thread see a block once it is committed
/// (durable), so nothing is reported final that a crash could take back.
/// Opening recovers the committed log, drops index entries past it, and re-indexes the blocks after the index
/// store's last checkpoint (a tail, not the whole chain).
/// </summary>
public sealed class BlockStore : IDisposable
{
    private const string HeightsFile = "heights.bin";
    private const byte TxKey = 0x10, BlockKey = 0x11;

    /// <summary>Tx index value: height u64 ‖ index u32 ‖ fee u64 (all ones = unknown).</summary>
    private const int TxEntrySize = 8 + 4 + 8;
    private const ulong UnknownFee = ulong.MaxValue;

    private readonly string _directory;
    private readonly ThreadedFileDevice _device;
    private readonly FasterLog _log;
    private readonly FasterShardStore _index;
    private readonly FileStream _heights;
    private readonly List<long> _addresses = [];
    private readonly Lock _addressesLock = new();
    private int _committedCount;

    private BlockStore(string directory, BlockStoreOptions options)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _device = new ThreadedFileDevice(Path.Combine(directory, "log", "blocks"));
        _log = new FasterLog(new FasterLogSettings
        {
            LogDevice = _device,
            PageSizeBits = options.LogPageSizeBits,
            MemorySizeBits = System.Numerics.BitOperations.Log2((ulong)options.LogMemoryBytes),
            LogCommitDir = Path.Combine(directory, "log-commits"),
        });

        string indexDir = Path.Combine(directory, "index");
        var indexHeights = FasterShardStore.ReadCheckpointHeights(indexDir);
        ulong? indexHeight = indexHeights.Count == 0 ? null : indexHeights[^1];
        if (indexHeight is null && Directory.Exists(indexDir)) Directory.Delete(indexDir, recursive: true);
        _index = FasterShardStore.Open(-1, indexDir, options.Index, indexHeight);

        _heights = new FileStream(Path.Combine(directory, HeightsFile), FileMode.OpenOrCreate, FileAccess.ReadWrite);
        RecoverAddresses();
        _committedCount = _addresses.Count;

        // Blocks after the index's checkpoint are indexed again from the log (idempotent upserts).
        ulong from = indexHeight is { } h ? h + 1 : 0;
        if (indexHeight is { } ih && _addresses.Count > 0 && ih > (ulong)(_addresses.Count - 1))
            throw new InvalidDataException($"{indexDir}: index checkpoint at height {ih} is past the block log's tip {_addresses.Count - 1}");
        for (ulong height = from; height < (ulong)_addresses.Count; height++)
        {
            byte[] block = ReadBlock(height) ?? throw new InvalidDataException($"{directory}: block {height} cannot be read back");
            IndexBlock(height, block);
        }
    }

    /// <summary>True when no block was ever committed.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_addressesLock) return _committedCount == 0;
        }
    }

    /// <summary>Height of the newest committed block (valid when not <see cref="IsEmpty"/>).</summary>
    public ulong TipHeight
    {
        get
        {
            lock (_addressesLock)
            {
                if (_committedCount == 0) throw new InvalidOperationException("the block store is empty");
                return (ulong)(_committedCount - 1);
            }
        }
    }

    public long DiskBytes => FasterShardStore.DirectorySize(_directory);

    public static BlockStore Open(string directory, BlockStoreOptions? options = null) => new(directory, options ?? new BlockStoreOptions());

    /// <summary>
    /// Appends a final block with the encoding of its commit certificate (one log entry: block and proof are durable
    /// together). Heights are consecutive from 0. The block becomes durable and visible to readers at the next
    /// <see cref="Commit"/>. <paramref name="fees"/>: each transaction's fee, kept in the index for queries (empty
    /// when unknown).
    /// </summary>
    public void Append(ulong height, in Hash32 blockHash, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate, ReadOnlySpan<Hash32> txids,
        ReadOnlySpan<ulong> fees = default)
    {
        lock (_addressesLock)
        {
            if (height != (ulong)_addresses.Count)
                throw new ArgumentException($"block height {height} appended, expected {_addresses.Count}", nameof(height));
        }
        IndexBlock(height, blockHash, txids, fees);
        byte[] frame = BlockFrame.Encode(height, blockHash, block, certificate, out int length);
        long address;
        try
        {
            address = _log.Enqueue(frame.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
        lock (_addressesLock) _addresses.Add(address);
    }

    /// <summary>
    /// Makes every block appended before the call durable (FasterLog commit, then the height file), then visible. One
    /// caller at a time; it may run on another thread than <see cref="Append"/>, concurrently with it.
    /// </summary>
    public void Commit()
    {
        // Blocks the caller until the commit is durable without spinning: Commit(spinWait: true) yields in a loop for
        // the whole fsync, which on a loaded host took CPU from the other threads (a few % of a node per block).
        // The count is taken before the log commit, which covers everything enqueued before it starts.
        int count, committed;
        lock (_addressesLock)
        {
            count = _addresses.Count;
            committed = _committedCount;
        }
        _log.CommitAsync().AsTask().GetAwaiter().GetResult();
        _device.ThrowIfFaulted("block log write");
        long[] pending = new long[count - committed];
        lock (_addressesLock) _addresses.CopyTo(committed, pending, 0, pending.Length);
        if (pending.Length > 0)
        {
            Span<byte> entry = stackalloc byte[8];
            _heights.Seek((long)(count - pending.Length) * 8, SeekOrigin.Begin);
            foreach (long a in pending)
            {
                BinaryPrimitives.WriteInt64LittleEndian(entry, a);
                _heights.Write(entry);
            }
            _heights.Flush(flushToDisk: true);
        }
        lock (_addressesLock) _committedCount = count;
    }

    /// <summary>Makes the txid / block-hash index durable as of the committed tip (call with the state checkpoint).</summary>
    public void CheckpointIndex() => BeginCheckpointIndex().GetAwaiter().GetResult();

    /// <summary>
    /// Starts <see cref="CheckpointIndex"/>: returns once the snapshot's content is fixed (blocks appended afterwards are
    /// not in it); the task completes when it is on disk. Call from the appending thread, between blocks, with every
    /// appended block committed (an index checkpoint ahead of the durable log would not recover).
    /// </summary>
    public Task BeginCheckpointIndex()
    {
        lock (_addressesLock)
        {
            if (_addresses.Count == 0) return Task.CompletedTask;
            if (_committedCount != _addresses.Count)
                throw new InvalidOperationException($"index checkpoint with blocks {_committedCount} … {_addresses.Count - 1} not committed");
        }
        return _index.BeginCheckpoint(TipHeight);
    }

    /// <summary>The encoding of a committed block, or null when the height is above the tip.</summary>
    public byte[]? ReadBlock(ulong height)
    {
        if (!TryReadFrame(height, out byte[]? frame, out int length)) return null;
        return BlockFrame.TryDecodeBlock(frame.AsSpan(0, length))
            ?? throw new InvalidDataException($"{_directory}: block {height} fails to decompress");
    }

    /// <summary>
    /// The encoding of the commit certificate stored with a committed block; null when the height is above the tip or
    /// the block was stored by a version that kept certificates apart.
    /// </summary>
    public byte[]? ReadCertificate(ulong height)
    {
        if (!TryReadFrame(height, out byte[]? frame, out int length)) return null;
        byte[] certificate = BlockFrame.TryReadCertificate(frame.AsSpan(0, length))
            ?? throw new InvalidDataException($"{_directory}: the frame of block {height} is damaged");
        return certificate.Length == 0 ? null : certificate;
    }

    /// <summary>A committed block's frame from the log.</summary>
    private bool TryReadFrame(ulong height, [NotNullWhen(true)] out byte[]? frame, out int length)
    {
        long address;
        lock (_addressesLock)
        {
            frame = null;
            length = 0;
            if (height >= (ulong)_committedCount) return false;
            address = _addresses[(int)height];
        }
        (frame, length) = _log.ReadAsync(address).AsTask().GetAwaiter().GetResult();
        if (frame is null) return false;
        if (!BlockFrame.TryReadHeader(frame.AsSpan(0, length), out ulong frameHeight, out _, out _) || frameHeight != height)
            throw new InvalidDataException($"{_directory}: the frame at address {address} is not block {height}");
        return true;
    }

    public bool TryGetHeight(in Hash32 blockHash, out ulong height)
    {
        Span<byte> key = stackalloc byte[33];
        key[0] = BlockKey;
        blockHash.CopyTo(key[1..]);
        Span<byte> value = stackalloc byte[16];
        height = 0;
        if (_index.Read(key, value) != 8) return false;
        height = BinaryPrimitives.ReadUInt64LittleEndian(value);
        return IsVisible(height);
    }

    public bool TryGetTxLocation(in Hash32 txid, out ulong height, out int index) => TryGetTxLocation(txid, out height, out index, out _);

    /// <summary>Where a final transaction is, and its fee when known (null for blocks re-indexed from the log).</summary>
    public bool TryGetTxLocation(in Hash32 txid, out ulong height, out int index, out ulong? fee)
    {
        Span<byte> key = stackalloc byte[33];
        key[0] = TxKey;
        txid.CopyTo(key[1..]);
        Span<byte> value = stackalloc byte[TxEntrySize];
        height = 0;
        index = 0;
        fee = null;
        if (_index.Read(key, value) != TxEntrySize) return false;
        height = BinaryPrimitives.ReadUInt64LittleEndian(value);
        index = BinaryPrimitives.ReadInt32LittleEndian(value[8..]);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(value[12..]);
        fee = stored == UnknownFee ? null : stored;
        return IsVisible(height);
    }

    public void Dispose()
    {
        _log.Dispose();
        _device.Dispose();
        _index.Dispose();
        _heights.Dispose();
    }

    private bool IsVisible(ulong height)
    {
        lock (_addressesLock) return height < (ulong)_committedCount;
    }

    private void IndexBlock(ulong height, in Hash32 blockHash, ReadOnlySpan<Hash32> txids, ReadOnlySpan<ulong> fees)
    {
        Span<byte> key = stackalloc byte[33];
        Span<byte> value = stackalloc byte[TxEntrySize];
        key[0] = BlockKey;
        blockHash.CopyTo(key[1..]);
        BinaryPrimitives.WriteUInt64LittleEndian(value, height);
        _index.Upsert(key, value[..8]);
        key[0] = TxKey;
        for (int i = 0; i < txids.Length; i++)
        {
            txids[i].CopyTo(key[1..]);
            BinaryPrimitives.WriteInt32LittleEndian(value[8..], i);
            BinaryPrimitives.WriteUInt64LittleEndian(value[12..], fees.Length == txids.Length ? fees[i] : UnknownFee);
            _index.Upsert(key, value);
        }
    }

    private void IndexBlock(ulong height, byte[] block)
    {
        if (!BlockView.TryDecode(block, out var view, out var failure))
            throw new InvalidDataException($"{_directory}: stored block {height} does not decode: {failure}");
        var txids = new Hash32[view.TxCount];
        int i = 0;
        foreach (var tx in view.Transactions) txids[i++] = DomainHash.Compute(DomainHash.Tx, tx.UnsignedBytes);
        IndexBlock(height, view.ComputeHash(), txids, default);
    }

    /// <summary>
    /// Loads the height file, drops addresses the recovered log does not hold (appended but never committed),
    /// and adds frames the log holds past the file's end (committed just before a crash).
    /// </summary>
    private void RecoverAddresses()
    {
        long committedTail = _log.CommittedUntilAddress;
        var bytes = new byte[_heights.Length - _heights.Length % 8];
        _heights.Seek(0, SeekOrigin.Begin);
        _heights.ReadExactly(bytes);
        for (int i = 0; i + 8 <= bytes.Length; i += 8)
        {
            long address = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i));
            if (address >= committedTail) break;
            _addresses.Add(address);
        }

        long scanFrom = _addresses.Count == 0 ? _log.BeginAddress : _addresses[^1];
        using (var iterator = _log.Scan(scanFrom, committedTail))
        {
            bool skipFirst = _addresses.Count > 0;
            while (iterator.GetNext(out byte[] entry, out int length, out long address))
            {
                if (skipFirst)
                {
                    skipFirst = false;
                    continue;
                }
                if (!BlockFrame.TryReadHeader(entry.AsSpan(0, length), out ulong height, out _, out _) || height != (ulong)_addresses.Count)
                    break; // a damaged or out-of-order tail frame: the log ends at the last good block
                _addresses.Add(address);
            }
        }

        _heights.SetLength((long)_addresses.Count * 8);
        _heights.Seek(0, SeekOrigin.Begin);
        Span<byte> entryBytes = stackalloc byte[8];
        foreach (long a in _addresses)
        {
            BinaryPrimitives.WriteInt64LittleEndian(entryBytes, a);
            _heights.Write(entryBytes);
        }
        _heights.Flush(flushToDisk: true);
    }
}
