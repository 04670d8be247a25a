using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using FASTER.core;

namespace MesFast.Storage.Tests;

public sealed class ThreadedFileDeviceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mesfast-device-" + Guid.NewGuid().ToString("N"));

    public ThreadedFileDeviceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>What one I/O callback reported, and on which thread.</summary>
    private sealed record Completion(uint ErrorCode, uint Bytes, bool OnPoolThread, int ThreadId);

    /// <summary>Native memory as FASTER hands it to a device (sector-aligned).</summary>
    private sealed unsafe class Buffer : IDisposable
    {
        public Buffer(int length)
        {
            Length = length;
            Pointer = (IntPtr)NativeMemory.AlignedAlloc((nuint)length, 512);
            Span.Clear();
        }

        public int Length { get; }
        public IntPtr Pointer { get; }
        public Span<byte> Span => new((void*)Pointer, Length);
        public void Dispose() => NativeMemory.AlignedFree((void*)Pointer);
    }

    private static Completion Write(ThreadedFileDevice device, int segment, ulong offset, Buffer source)
    {
        var done = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.WriteAsync(source.Pointer, segment, offset, (uint)source.Length,
            (error, bytes, _) => done.SetResult(new Completion(error, bytes, Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId)), null!);
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(30)), "write callback never ran");
        return done.Task.Result;
    }

    private static Completion Read(ThreadedFileDevice device, int segment, ulong offset, Buffer destination)
    {
        var done = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.ReadAsync(segment, offset, destination.Pointer, (uint)destination.Length,
            (error, bytes, _) => done.SetResult(new Completion(error, bytes, Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId)), null!);
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(30)), "read callback never ran");
        return done.Task.Result;
    }

    [Fact]
    public void Pages_written_to_segments_read_back_on_threads_outside_the_pool()
    {
        int seed = TestSeed.Next();
        var random = new Random(seed);
        using var device = new ThreadedFileDevice(Path.Combine(_dir, "hlog"));
        using var page = new Buffer(4096);
        var written = new Dictionary<(int Segment, ulong Offset), byte[]>();
        for (int i = 0; i < 12; i++)
        {
            random.NextBytes(page.Span);
            int segment = i % 3;
            ulong offset = (ulong)(i / 3) * 8192;
            var result = Write(device, segment, offset, page);
            Assert.Equal(new Completion(0, 4096, false, result.ThreadId), result);
            written[(segment, offset)] = page.Span.ToArray();
        }
        // FASTER's file layout: name.segment.
        for (int segment = 0; segment < 3; segment++)
        {
            Assert.True(File.Exists(Path.Combine(_dir, "hlog." + segment)), $"segment {segment} file missing (seed {seed})");
            Assert.Equal(3 * 8192 + 4096, device.GetFileSize(segment));
        }
        using var back = new Buffer(4096);
        foreach (var ((segment, offset), bytes) in written)
        {
            var result = Read(device, segment, offset, back);
            Assert.Equal(0u, result.ErrorCode);
            Assert.Equal(4096u, result.Bytes);
            Assert.False(result.OnPoolThread);
            Assert.True(bytes.AsSpan().SequenceEqual(back.Span), $"segment {segment} offset {offset} differs (seed {seed})");
        }
    }

    [Fact]
    public void Writes_complete_in_the_order_they_were_issued()
    {
        using var device = new ThreadedFileDevice(Path.Combine(_dir, "ordered"));
        using var page = new Buffer(512);
        var order = new ConcurrentQueue<int>();
        using var all = new CountdownEvent(200);
        for (int i = 0; i < 200; i++)
        {
            page.Span.Fill((byte)i);
            int n = i;
            // Every write lands on the same sector: the file ends up holding the last one only if order is kept.
            device.WriteAsync(page.Pointer, 0, 0, 512, (_, _, _) =>
            {
                order.Enqueue(n);
                all.Signal();
            }, null!);
            Write(device, 1, 0, page); // a synchronous write to another segment keeps `page` stable per issue
        }
        Assert.True(all.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, 200), order);
        using var back = new Buffer(512);
        Read(device, 0, 0, back);
        Assert.All(back.Span.ToArray(), b => Assert.Equal(199, b));
    }

    [Fact]
    public void Reading_past_the_end_reports_the_bytes_that_exist()
    {
        using var device = new ThreadedFileDevice(Path.Combine(_dir, "short"));
        using var page = new Buffer(1024);
        page.Span.Fill(7);
        Write(device, 0, 0, page);
        using var back = new Buffer(4096);
        var result = Read(device, 0, 512, back);
        Assert.Equal(0u, result.ErrorCode);
        Assert.Equal(512u, result.Bytes);
        Assert.All(back.Span[..512].ToArray(), b => Assert.Equal(7, b));
    }

    [Fact]
    public void A_failed_transfer_reports_an_error_code_and_the_fault_instead_of_throwing()
    {
        // The segment's path is a directory: opening it fails on the device's own thread.
        Directory.CreateDirectory(Path.Combine(_dir, "broken.0"));
        using var device = new ThreadedFileDevice(Path.Combine(_dir, "broken"));
        using var page = new Buffer(512);
        var write = Write(device, 0, 0, page);
        Assert.NotEqual(0u, write.ErrorCode);
        Assert.Equal(0u, write.Bytes);
        Assert.NotNull(device.Fault);
        var read = Read(device, 0, 0, page);
        Assert.NotEqual(0u, read.ErrorCode);
        // The device still serves other segments.
        Assert.Equal(0u, Write(device, 1, 0, page).ErrorCode);
    }

    [Fact]
    public async Task Removing_a_segment_waits_for_the_writes_issued_before_it()
    {
        using var device = new ThreadedFileDevice(Path.Combine(_dir, "trunc"));
        using var page = new Buffer(4096);
        Write(device, 0, 0, page);
        Write(device, 1, 0, page);
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.WriteAsync(page.Pointer, 0, 4096, 4096, (_, _, _) => { }, null!);
        device.RemoveSegmentAsync(0, _ => removed.SetResult(), null!);
        await removed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(Path.Combine(_dir, "trunc.0")));
        Assert.Equal(0, device.GetFileSize(0));
        Assert.True(File.Exists(Path.Combine(_dir, "trunc.1")));
    }

    [Fact]
    public void An_idle_lane_lets_its_thread_go_and_starts_another_for_new_work()
    {
        using var lane = new IoLane("test-lane", idleMs: 50);
        var threads = new ConcurrentQueue<Thread>();
        var work = new Recorder(threads);
        for (int round = 0; round < 3; round++)
        {
            lane.Enqueue(work);
            Assert.True(work.Ran.Wait(TimeSpan.FromSeconds(30)));
            work.Ran.Reset();
            Thread last = threads.Last();
            Assert.True(last.Join(TimeSpan.FromSeconds(30)), "idle lane thread did not end");
        }
        Assert.Equal(3, threads.Distinct().Count());
        Assert.False(work.RanOnPool);
    }

    [Fact]
    public void A_background_lane_runs_its_work_at_lowered_priority_and_a_normal_one_does_not()
    {
        int? callerNice = MesFast.Core.Threading.BackgroundPriority.CurrentNice();
        foreach (bool background in new[] { true, false })
        {
            using var lane = new IoLane("test-lane", background: background);
            var probe = new NiceProbe();
            lane.Enqueue(probe);
            Assert.True(probe.Ran.Wait(TimeSpan.FromSeconds(30)));
            if (!OperatingSystem.IsLinux()) continue; // nice values are Linux's
            int expected = background ? Math.Max(callerNice!.Value, MesFast.Core.Threading.BackgroundPriority.Nice) : callerNice!.Value;
            Assert.Equal(expected, probe.Nice);
        }
    }

    private sealed class NiceProbe : IoLane.IWork
    {
        public ManualResetEventSlim Ran { get; } = new();

        public int? Nice { get; private set; }

        public void Run()
        {
            Nice = MesFast.Core.Threading.BackgroundPriority.CurrentNice();
            Ran.Set();
        }
    }

    [Fact]
    public void Work_queued_from_many_threads_runs_once_each_and_dispose_drains_the_rest()
    {
        int seed = TestSeed.Next();
        var lane = new IoLane("test-lane", idleMs: 1);
        var counter = new Counter();
        var producers = new Thread[4];
        for (int p = 0; p < producers.Length; p++)
        {
            var random = new Random(seed + p);
            producers[p] = new Thread(() =>
            {
                for (int i = 0; i < 5_000; i++)
                {
                    lane.Enqueue(counter);
                    // Pauses around the idle time make the lane's thread end and restart while producers race it.
                    if (random.Next(500) == 0) Thread.Sleep(random.Next(3));
                }
            });
            producers[p].Start();
        }
        foreach (var t in producers) t.Join();
        lane.Dispose();
        Assert.True(20_000 == counter.Count, $"ran {counter.Count} of 20000 (seed {seed})");
        Assert.False(counter.Overlapped, $"two lane threads ran at once (seed {seed})");
        Assert.Throws<ObjectDisposedException>(() => lane.Enqueue(counter));
    }

    [Fact]
    public void A_shard_store_on_threaded_devices_spills_checkpoints_and_recovers()
    {
        // FasterShardStore uses the device for its log and (through the factory) for its checkpoint files.
        var options = new ShardStoreOptions { MemoryBytes = 1 << 16, PageSizeBits = 12, IndexBuckets = 1 << 10 };
        string dir = Path.Combine(_dir, "shard");
        var value = new byte[100];
        using (var store = FasterShardStore.Open(0, dir, options, recoverTo: null))
        {
            for (int i = 0; i < 5_000; i++)
            {
                BitConverter.TryWriteBytes(value, i);
                store.Insert(BitConverter.GetBytes(i), value);
            }
            store.Checkpoint(1);
        }
        Assert.True(new FileInfo(Path.Combine(dir, "hlog.0")).Length > options.MemoryBytes, "records never left memory");
        using var reopened = FasterShardStore.Open(0, dir, options, recoverTo: 1);
        var back = new byte[100];
        for (int i = 0; i < 5_000; i += 7)
        {
            Assert.Equal(100, reopened.Read(BitConverter.GetBytes(i), back));
            Assert.Equal(i, BitConverter.ToInt32(back));
        }
    }

    private sealed class Recorder(ConcurrentQueue<Thread> threads) : IoLane.IWork
    {
        public ManualResetEventSlim Ran { get; } = new();

        public bool RanOnPool { get; private set; }

        public void Run()
        {
            threads.Enqueue(Thread.CurrentThread);
            RanOnPool |= Thread.CurrentThread.IsThreadPoolThread;
            Ran.Set();
        }
    }

    private sealed class Counter : IoLane.IWork
    {
        private int _count;
        private int _inside;

        public int Count => Volatile.Read(ref _count);

        public bool Overlapped { get; private set; }

        public void Run()
        {
            // One owner at a time: two threads draining the lane at once would overlap here.
            if (Interlocked.Exchange(ref _inside, 1) == 1) Overlapped = true;
            _count++;
            Volatile.Write(ref _inside, 0);
        }
    }
}
