using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace MesFast.Storage;

/// <summary>
/// A FASTER storage device on local files whose blocking I/O runs on two threads of its own, one for writes and one
/// for reads, instead of the thread pool. FASTER's managed device on Linux issues every page write as a blocking
/// O_SYNC write on a pool thread; a checkpoint flushes all dirty pages at once, which occupied every pool thread for
/// seconds and stalled block application, sockets, RPC and timers behind it (measured: 1,000 transactions applied in
/// 1.9 s right after a checkpoint began, pool work 1 s late). Same file layout (<c>name.segment</c>) and the same
/// durability: files are opened write-through (O_SYNC), so a write is on disk when its callback runs.
/// </summary>
public sealed class ThreadedFileDevice : StorageDeviceBase
{
    /// <summary>Sector size FASTER aligns to; what its managed device assumes on Linux.</summary>
    private const uint SectorBytes = 512;

    private readonly ConcurrentDictionary<int, SafeFileHandle> _segments = new();
    private readonly Lock _openLock = new();
    private readonly IoLane _writes;
    private readonly IoLane _reads;
    private int _disposed;

    /// <param name="backgroundWrites">
    /// writes on a lowered-priority thread: for the state store, whose page flushes and checkpoints nothing waits on
    /// (a node's chain thread, admission and RPC then go first), not for the block log, whose commits gate finality.
    /// Reads stay at normal priority: a block's application waits for them.
    /// </param>
    public ThreadedFileDevice(string filename, bool backgroundWrites = false)
        : base(filename, SectorBytes, Devices.CAPACITY_UNSPECIFIED)
    {
        string name = Path.GetFileName(filename);
        _writes = new IoLane("faster-write " + name, background: backgroundWrites);
        _reads = new IoLane("faster-read " + name);
    }

    /// <summary>The first I/O failure, also reported to FASTER through its callback's error code; null while all went well.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    private Exception? _fault;

    /// <summary>
    /// FASTER hears of a failed page write only as an error code: whatever was to be durable (a checkpoint, a block-log
    /// commit) must not count as such after one. Throws an IOException naming <paramref name="what"/>.
    /// </summary>
    public void ThrowIfFaulted(string what)
    {
        if (Fault is { } fault) throw new IOException($"{what} failed: {fault.Message}", fault);
    }

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite,
        DeviceIOCompletionCallback callback, object context)
    {
        HandleCapacity(segmentId);
        _writes.Enqueue(new Transfer(this, write: true, segmentId, destinationAddress, sourceAddress, numBytesToWrite, callback, context));
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength,
        DeviceIOCompletionCallback callback, object context) =>
        _reads.Enqueue(new Transfer(this, write: false, segmentId, sourceAddress, destinationAddress, readLength, callback, context));

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) =>
        // Behind the writes already queued, so a segment is never removed under a write FASTER issued before.
        _writes.Enqueue(new Removal(this, segment, callback, result));

    public override void RemoveSegment(int segment)
    {
        lock (_openLock)
        {
            if (_segments.TryRemove(segment, out var handle)) handle.Dispose();
        }
        try
        {
            File.Delete(GetSegmentFilename(FileName, segment));
        }
        catch (IOException e)
        {
            RecordFault(e);
        }
        catch (UnauthorizedAccessException e)
        {
            RecordFault(e);
        }
    }

    public override long GetFileSize(int segment)
    {
        if (_segments.TryGetValue(segment, out var handle)) return RandomAccess.GetLength(handle);
        var file = new FileInfo(GetSegmentFilename(FileName, segment));
        return file.Exists ? file.Length : 0;
    }

    public override void Reset() => CloseSegments();

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _writes.Dispose();
        _reads.Dispose();
        CloseSegments();
    }

    private void CloseSegments()
    {
        lock (_openLock)
        {
            foreach (var handle in _segments.Values) handle.Dispose();
            _segments.Clear();
        }
    }

    private SafeFileHandle Segment(int segment)
    {
        if (_segments.TryGetValue(segment, out var handle)) return handle;
        lock (_openLock)
        {
            if (_segments.TryGetValue(segment, out handle)) return handle;
            string path = GetSegmentFilename(FileName, segment);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.WriteThrough);
            _segments[segment] = handle;
            return handle;
        }
    }

    private void RecordFault(Exception e)
    {
        // The write and the read thread may both fail; the first failure is kept.
        Interlocked.CompareExchange(ref _fault, e, null);
    }

    /// <summary>Error code handed to FASTER for a failed transfer (nonzero; the errno when the runtime exposes one).</summary>
    private static uint ErrorCode(Exception e) => ((uint)e.HResult & 0xFFFF) is var low and not 0 ? low : 5u;

    /// <summary>One page read or write between FASTER's memory and a segment file.</summary>
    private sealed class Transfer(
        ThreadedFileDevice device, bool write, int segment, ulong fileOffset, IntPtr memory, uint length,
        DeviceIOCompletionCallback callback, object context) : IoLane.IWork
    {
        public unsafe void Run()
        {
            uint errorCode = 0, done = 0;
            try
            {
                var handle = device.Segment(segment);
                if (write)
                {
                    RandomAccess.Write(handle, new ReadOnlySpan<byte>((void*)memory, (int)length), (long)fileOffset);
                    done = length;
                }
                else
                {
                    // A read may end early only at the end of the file (the tail of a partly written segment).
                    while (done < length)
                    {
                        int n = RandomAccess.Read(handle, new Span<byte>((byte*)memory + done, (int)(length - done)), (long)fileOffset + done);
                        if (n == 0) break;
                        done += (uint)n;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                device.RecordFault(e);
                errorCode = ErrorCode(e);
            }
            callback(errorCode, done, context);
        }
    }

    private sealed class Removal(ThreadedFileDevice device, int segment, AsyncCallback callback, IAsyncResult result) : IoLane.IWork
    {
        public void Run()
        {
            device.RemoveSegment(segment);
            callback(result);
        }
    }
}
