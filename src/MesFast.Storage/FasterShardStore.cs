using FASTER.core;
using MesFast.Core.Storage;
using Session = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, FASTER.core.SpanByte,
    FASTER.core.SpanByteAndMemory, FASTER.core.Empty, FASTER.core.SpanByteFunctions<FASTER.core.Empty>>;

namespace MesFast.Storage;

/// <summary>
/// One SSA shard as its own FASTER KV on disk (DESIGN §7), variable-length byte keys and values.
/// Threading: one writer (the shard's lane) and concurrent readers; FASTER sessions are single-threaded, so
/// every thread gets its own session (created on first use, all disposed with the store).
/// Checkpoints are full FoldOver checkpoints (index + log flushed to the tail) tagged with a block height in a
/// manifest; the newest few are kept so a crash between shards' checkpoints still leaves a common height. A checkpoint
/// fixes its content when it starts (FASTER's version change) and writes to disk while the writer goes on.
/// </summary>
public sealed class FasterShardStore : IShardStore
{
    /// <summary>Values up to this size are read through a stack buffer when only their presence matters.</summary>
    private const int ProbeBytes = 256;

    private readonly string _directory;
    private readonly ShardStoreOptions _options;
    private readonly IDevice _device;
    private readonly DeviceLogCommitCheckpointManager _checkpoints;
    private readonly FasterKV<SpanByte, SpanByte> _kv;
    private readonly ThreadLocal<Session> _sessions;
    private readonly CheckpointManifest _manifest;
    private long _count;
    private bool _disposed;
    /// <summary>The checkpoint whose disk writes may still run; only the writer thread starts checkpoints.</summary>
    private Task? _inFlight;
    /// <summary>The session that advances checkpoints in the background (<see cref="DriveCheckpointAsync"/>).</summary>
    private Session? _driver;

    private FasterShardStore(int shard, string directory, ShardStoreOptions options, ulong? recoverTo)
    {
        Shard = shard;
        _directory = directory;
        _options = options;
        Directory.CreateDirectory(directory);
        _manifest = CheckpointManifest.Load(directory);
        _device = options.FasterManagedDevice
            ? Devices.CreateLogDevice(Path.Combine(directory, "hlog"), preallocateFile: false, deleteOnClose: false)
            : new ThreadedFileDevice(Path.Combine(directory, "hlog"), backgroundWrites: true);
        _checkpoints = new DeviceLogCommitCheckpointManager(
            options.FasterManagedDevice ? new LocalStorageNamedDeviceFactory() : new ThreadedFileDeviceFactory(backgroundWrites: true), new DefaultCheckpointNamingScheme(Path.Combine(directory, "checkpoints")), removeOutdated: false);
        _kv = new FasterKV<SpanByte, SpanByte>(
            options.IndexBuckets,
            new LogSettings { LogDevice = _device, PageSizeBits = options.PageSizeBits, MemorySizeBits = options.MemorySizeBits },
            new CheckpointSettings { CheckpointManager = _checkpoints, RemoveOutdated = false });
        _sessions = new ThreadLocal<Session>(NewSession, trackAllValues: true);

        if (recoverTo is { } height)
        {
            CheckpointManifest.Entry? entry = null;
            foreach (var e in _manifest.Entries)
                if (e.Height == height) entry = e;
            if (entry is null)
                throw new InvalidDataException($"{Path.Combine(directory, CheckpointManifest.FileName)}: no checkpoint at height {height}");
            _kv.Recover(entry.Value.Token);
            _count = entry.Value.Count;
            // Newer checkpoints describe states this recovery discards; forget them so heights stay ascending.
            foreach (var stale in _manifest.RemoveAbove(height)) Purge(stale.Token);
            _manifest.Save(directory);
        }
        else if (_manifest.Entries.Count > 0)
        {
            throw new InvalidOperationException($"shard {shard} at {directory} has checkpoints; open it at one of their heights");
        }
        PurgeOrphans();
    }

    /// <summary>FASTER's folders for checkpoint tokens, one subfolder per token (DefaultCheckpointNamingScheme).</summary>
    private static readonly string[] TokenFolders = ["index-checkpoints", "cpr-checkpoints"];

    /// <summary>
    /// Removes checkpoints the manifest does not name: a crash between a checkpoint's start and its manifest entry,
    /// or a purge that failed, leaves them behind, and nothing else would ever delete them (each is a full index copy).
    /// </summary>
    private void PurgeOrphans()
    {
        var named = new HashSet<Guid>();
        foreach (var e in _manifest.Entries) named.Add(e.Token);
        var orphans = new HashSet<Guid>();
        foreach (string folder in TokenFolders)
        {
            string path = Path.Combine(_directory, "checkpoints", folder);
            if (!Directory.Exists(path)) continue;
            foreach (string dir in Directory.EnumerateDirectories(path))
                if (Guid.TryParse(Path.GetFileName(dir), out var token) && !named.Contains(token)) orphans.Add(token);
        }
        foreach (var token in orphans) Purge(token);
    }

    public int Shard { get; }

    private Session NewSession() => _kv.For(new SpanByteFunctions<Empty>()).NewSession<SpanByteFunctions<Empty>>();

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<ulong> CheckpointHeights
    {
        get
        {
            lock (_manifest)
            {
                var heights = new List<ulong>(_manifest.Entries.Count);
                foreach (var e in _manifest.Entries) heights.Add(e.Height);
                return heights;
            }
        }
    }

    public long DiskBytes => DirectorySize(_directory);

    /// <summary>Opens a shard directory: fresh and empty when <paramref name="recoverTo"/> is null, else recovered to that checkpoint height.</summary>
    public static FasterShardStore Open(int shard, string directory, ShardStoreOptions options, ulong? recoverTo) =>
        new(shard, directory, options, recoverTo);

    /// <summary>Checkpoint heights recorded in a shard directory without opening the store.</summary>
    public static IReadOnlyList<ulong> ReadCheckpointHeights(string directory)
    {
        var heights = new List<ulong>();
        if (!Directory.Exists(directory)) return heights;
        foreach (var e in CheckpointManifest.Load(directory).Entries) heights.Add(e.Height);
        return heights;
    }

    public unsafe int Read(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        CheckKey(key);
        var session = _sessions.Value!;
        fixed (byte* k = key)
        fixed (byte* d = destination)
        {
            var keyBytes = SpanByte.FromPointer(k, key.Length);
            var output = new SpanByteAndMemory(d, destination.Length);
            var status = session.Read(ref keyBytes, ref output);
            if (status.IsPending)
            {
                // The record left memory: FASTER reads it from disk asynchronously; wait for it here.
                session.CompletePendingWithOutputs(out var completed, wait: true);
                using (completed)
                {
                    if (!completed.Next()) throw new InvalidOperationException("FASTER completed no pending read");
                    status = completed.Current.Status;
                    output = completed.Current.Output;
                }
            }
            if (!status.Found) return -1;
            if (!output.IsSpanByte)
            {
                int length = output.Length;
                output.Memory.Dispose();
                throw new ArgumentException($"value of {length} bytes does not fit the {destination.Length}-byte destination", nameof(destination));
            }
            return output.Length;
        }
    }

    public void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckKey(key);
        if (value.Length > IShardStore.MaxValueBytes)
            throw new ArgumentException($"value of {value.Length} bytes exceeds {IShardStore.MaxValueBytes}", nameof(value));
        bool existed = Contains(key);
        Write(key, value);
        if (!existed) Interlocked.Increment(ref _count);
    }

    public void Insert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckKey(key);
        if (value.Length > IShardStore.MaxValueBytes)
            throw new ArgumentException($"value of {value.Length} bytes exceeds {IShardStore.MaxValueBytes}", nameof(value));
        Write(key, value);
        Interlocked.Increment(ref _count);
    }

    public void Remove(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        Tombstone(key);
        Interlocked.Decrement(ref _count);
    }

    private unsafe void Write(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var session = _sessions.Value!;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var keyBytes = SpanByte.FromPointer(k, key.Length);
            var valueBytes = SpanByte.FromPointer(v, value.Length);
            session.Upsert(ref keyBytes, ref valueBytes);
        }
    }

    private unsafe void Tombstone(ReadOnlySpan<byte> key)
    {
        var session = _sessions.Value!;
        fixed (byte* k = key)
        {
            var keyBytes = SpanByte.FromPointer(k, key.Length);
            session.Delete(ref keyBytes);
        }
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        // FASTER writes a tombstone without looking at records on disk, so presence is checked first for Count.
        if (!Contains(key)) return false;
        Tombstone(key);
        Interlocked.Decrement(ref _count);
        return true;
    }

    public void Checkpoint(ulong height) => BeginCheckpoint(height).GetAwaiter().GetResult();

    public Task BeginCheckpoint(ulong height)
    {
        // FASTER runs one checkpoint at a time; the previous one must be durable before the next starts.
        _inFlight?.GetAwaiter().GetResult();
        long count = Count;
        long startVersion = _kv.SystemState.Version;
        if (!_kv.TryInitiateFullCheckpoint(out var token, CheckpointType.FoldOver))
            throw new InvalidOperationException($"shard {Shard}: FASTER refused to start a checkpoint (another state machine is running)");
        // Runs on this thread until the first disk wait; by then every session has moved to the next version.
        var completion = FinishCheckpointAsync(height, token, count);
        WaitForVersionBoundary(startVersion);
        _inFlight = completion;
        return completion;
    }

    /// <summary>
    /// Blocks until FASTER's version has advanced past <paramref name="startVersion"/> and no session can still write
    /// into it (phase past IN_PROGRESS): from then on writes belong to the next version and stay out of the snapshot.
    /// Threads inside an operation (readers) delay this only for the length of that operation.
    /// </summary>
    private void WaitForVersionBoundary(long startVersion)
    {
        var spin = new SpinWait();
        long deadline = Environment.TickCount64 + 60_000;
        while (true)
        {
            var state = _kv.SystemState;
            var phase = state.Phase & ~Phase.INTERMEDIATE;
            if (state.Version > startVersion && phase != Phase.IN_PROGRESS && phase != Phase.PREPARE && phase != Phase.PREP_INDEX_CHECKPOINT)
                return;
            if (Environment.TickCount64 > deadline)
                throw new IOException($"shard {Shard}: FASTER checkpoint did not pass its version change within 60 s (phase {phase}, version {state.Version})");
            // This thread's session acknowledges the phase (the background driver may be between its polls).
            _sessions.Value!.Refresh();
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private async Task FinishCheckpointAsync(ulong height, Guid token, long count)
    {
        try
        {
            await DriveCheckpointAsync(height).ConfigureAwait(false);
            (_device as ThreadedFileDevice)?.ThrowIfFaulted("log write");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new IOException($"FASTER checkpoint of shard {Shard} at height {height} failed: {e.Message}", e);
        }
        List<CheckpointManifest.Entry> dropped;
        lock (_manifest)
        {
            _manifest.Add(new CheckpointManifest.Entry(height, token, count));
            dropped = _manifest.TrimTo(Math.Max(2, _options.RetainedCheckpoints));
            _manifest.Save(_directory);
        }
        foreach (var old in dropped) Purge(old.Token);
    }

    /// <summary>Time between two steps of a checkpoint's background part (its flushes take hundreds of milliseconds).</summary>
    private const int CheckpointPollMs = 2;

    /// <summary>A checkpoint that makes no progress this long is an environment fault (a disk that stopped answering).</summary>
    private const long CheckpointStallMs = 300_000;

    /// <summary>
    /// Advances the running checkpoint to its end (phase REST) through a session of its own, one step per poll.
    /// Not FASTER's CompleteCheckpointAsync: that re-polls in a tight loop, allocating on every turn, whenever it has
    /// no I/O to await (e.g. until every thread has acknowledged the flush), which on a loaded 2-core host kept one
    /// core per store busy for the ~2.5 s of a checkpoint's flush (a quarter of a node's allocations, stalled blocks).
    /// </summary>
    private async Task DriveCheckpointAsync(ulong height)
    {
        // One checkpoint at a time (BeginCheckpoint waits for the previous one), so one driver at a time uses this session.
        var driver = _driver ??= NewSession();
        var last = _kv.SystemState;
        long lastChange = Environment.TickCount64;
        while (true)
        {
            driver.Refresh();
            var state = _kv.SystemState;
            if ((state.Phase & ~Phase.INTERMEDIATE) == Phase.REST) return;
            if (state.Phase != last.Phase || state.Version != last.Version)
            {
                last = state;
                lastChange = Environment.TickCount64;
            }
            else if (Environment.TickCount64 - lastChange > CheckpointStallMs)
            {
                throw new IOException($"shard {Shard}: checkpoint at height {height} made no progress for {CheckpointStallMs / 1000} s (phase {state.Phase})");
            }
            await Task.Delay(CheckpointPollMs).ConfigureAwait(false);
        }
    }

    public void ForEach(ShardRecordVisitor visitor)
    {
        // FASTER's iterator walks the log and can return superseded versions of keys that were later deleted or
        // replaced; so each key is visited once, with the value a Read returns now (absent = deleted, skipped).
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        var value = new byte[IShardStore.MaxValueBytes];
        using var iterator = _sessions.Value!.Iterate();
        while (iterator.GetNext(out var info))
        {
            if (info.Tombstone) continue;
            byte[] key = iterator.GetKey().AsReadOnlySpan().ToArray();
            if (!seen.Add(key)) continue;
            int length = Read(key, value);
            if (length >= 0) visitor(key, value.AsSpan(0, length));
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _inFlight?.GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            // The failure was reported to whoever started that checkpoint; the manifest still names only durable ones.
        }
        _driver?.Dispose();
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Dispose();
        _kv.Dispose();
        _device.Dispose();
        _checkpoints.Dispose();
    }

    private bool Contains(ReadOnlySpan<byte> key)
    {
        Span<byte> probe = stackalloc byte[ProbeBytes];
        try
        {
            return Read(key, probe) >= 0;
        }
        catch (ArgumentException)
        {
            return true; // present, just larger than the probe
        }
    }

    private void Purge(Guid token)
    {
        try
        {
            _checkpoints.Purge(token);
        }
        catch (IOException)
        {
            // An old checkpoint that cannot be removed only costs disk space; the manifest no longer names it.
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length == 0 || key.Length > IShardStore.MaxKeyBytes)
            throw new ArgumentException($"keys are 1 … {IShardStore.MaxKeyBytes} bytes, got {key.Length}", nameof(key));
    }

    internal static long DirectorySize(string directory)
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // removed while counting (checkpoint purge)
            }
        }
        return total;
    }
}
