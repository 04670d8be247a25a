using MesFast.Storage;

namespace MesFast.Node.Chain;

/// <summary>
/// Makes appended final blocks durable on its own thread, so the block log's fsync is off the consensus path: on a
/// shared disk one commit took 2.4 s (another node's whole block commit 5.4 s), and with the chain thread waiting on
/// it that witness proposed or voted seconds late and the view timed out (perf/RESULTS.md). After each commit it
/// reports how many blocks are durable (<c>onDurable</c>, on this thread, in order): only then is a block reported
/// final to clients, so nothing a crash could take back is ever shown. What must not run ahead of the durable log
/// (state and index checkpoints, shutdown) waits with <see cref="WaitDurable"/>.
/// </summary>
internal sealed class BlockLogCommitter : IDisposable
{
    private readonly BlockStore _blocks;
    private readonly Action<ulong> _onDurable;
    private readonly Thread _thread;
    private readonly AutoResetEvent _work = new(false);
    private readonly object _gate = new(); // Monitor: WaitDurable sleeps on it
    private volatile bool _stopping;
    /// <summary>Blocks appended so far (chain thread writes, committer reads).</summary>
    private long _appendedCount;
    private ulong _durableCount;
    private Exception? _fault;

    public BlockLogCommitter(BlockStore blocks, Action<ulong> onDurable)
    {
        _blocks = blocks;
        _onDurable = onDurable;
        _durableCount = blocks.IsEmpty ? 0 : blocks.TipHeight + 1;
        _appendedCount = (long)_durableCount;
        _thread = new Thread(Run) { Name = "mesd-block-commit", IsBackground = true };
        _thread.Start();
    }

    /// <summary>The commit failure that stopped this committer (an environment fault), if any.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Block <paramref name="height"/> was appended: commit it (with any before it) soon.</summary>
    public void Appended(ulong height)
    {
        Volatile.Write(ref _appendedCount, (long)height + 1);
        _work.Set();
    }

    /// <summary>Blocks until blocks 0 … <paramref name="height"/> are durable; an IOException when committing failed.</summary>
    public void WaitDurable(ulong height)
    {
        lock (_gate)
        {
            while (_durableCount <= height)
            {
                if (_fault is { } fault) throw new IOException($"the block log cannot be committed: {fault.Message}", fault);
                if (_stopping) throw new InvalidOperationException("the block log committer has stopped");
                _work.Set();
                Monitor.Wait(_gate, 100);
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            _work.WaitOne();
            bool stopping = _stopping;
            if ((ulong)Volatile.Read(ref _appendedCount) > _durableCount)
            {
                ulong durable;
                try
                {
                    _blocks.Commit(); // covers every block appended before it starts
                    durable = _blocks.TipHeight + 1;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    lock (_gate)
                    {
                        _fault = e;
                        Monitor.PulseAll(_gate);
                    }
                    return;
                }
                _onDurable(durable);
                lock (_gate)
                {
                    _durableCount = durable;
                    Monitor.PulseAll(_gate);
                }
            }
            if (stopping) return;
        }
    }

    /// <summary>Commits what was appended and stops the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _work.Set();
        _thread.Join();
        _work.Dispose();
    }
}
