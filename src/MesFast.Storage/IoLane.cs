using System.Collections.Concurrent;

namespace MesFast.Storage;

/// <summary>
/// Runs blocking work items one at a time, in order, on a thread of its own (never a thread-pool thread). The thread
/// starts on the first item and ends after a while without work, so a lane that is never disposed (FASTER
/// opens checkpoint devices of its own) leaves no thread behind.
/// </summary>
internal sealed class IoLane : IDisposable
{
    /// <summary>How long an idle thread waits for work before it ends, unless the constructor says otherwise.</summary>
    internal const int DefaultIdleMs = 2_000;

    private readonly ConcurrentQueue<IWork> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly string _name;
    private readonly int _idleMs;
    private readonly bool _background;
    /// <summary>1 while a thread owns the lane. Exactly one thread drains at a time: a thread starts only by moving this 0 → 1.</summary>
    private int _running;
    private int _stopping;
    private Thread? _thread;

    /// <param name="background">run the lane's thread at <see cref="Core.Threading.BackgroundPriority"/> (bulk writes nothing waits on).</param>
    internal IoLane(string name, int idleMs = DefaultIdleMs, bool background = false)
    {
        _name = name;
        _idleMs = idleMs;
        _background = background;
    }

    /// <summary>A unit of blocking work; it reports its own outcome (FASTER callbacks) and must not throw.</summary>
    internal interface IWork
    {
        void Run();
    }

    internal void Enqueue(IWork work)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping) == 1, this);
        _queue.Enqueue(work);
        // Enqueue is a full fence, so either the owning thread sees this item before it lets go of the lane, or this
        // exchange sees the lane free and starts a new owner.
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) Start();
        else _signal.Set();
    }

    private void Start()
    {
        var thread = new Thread(Drain) { IsBackground = true, Name = _name };
        Volatile.Write(ref _thread, thread);
        thread.Start();
    }

    private void Drain()
    {
        if (_background) Core.Threading.BackgroundPriority.TryLowerCurrentThread();
        while (true)
        {
            _signal.Reset();
            while (_queue.TryDequeue(out var work)) work.Run();
            if (Volatile.Read(ref _stopping) == 1) break;
            if (_signal.Wait(_idleMs)) continue;
            Interlocked.Exchange(ref _running, 0);
            // An item enqueued between the wait's timeout and the release above: take the lane back unless its
            // producer already started a new owner.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        }
        Interlocked.Exchange(ref _running, 0);
    }

    /// <summary>Runs what is queued, then ends the thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1) return;
        _signal.Set();
        Volatile.Read(ref _thread)?.Join();
        // A work item enqueued while the last owner was letting go has no thread; run it here.
        while (_queue.TryDequeue(out var work)) work.Run();
        _signal.Dispose();
    }
}
