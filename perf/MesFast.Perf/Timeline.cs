using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MesFast.Perf;

/// <summary>
/// Samples every node's <c>/metrics</c> (height, mempool size, GC pause) twice a second during a phase and, with
/// <c>--timeline FILE</c>, writes them as CSV: when a latency window goes bad, this shows which node's pool grew
/// first and whether a GC pause or a stalled height came with it.
/// </summary>
internal sealed class Timeline(Uri[] rpcs, Stopwatch clock) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _rows = new("phase,t_ms,node,height,mempool_txs,gc_pause_s,gen0,proposal_tx_limit,apply_ms_per_tx,admission_queue,block_sigs\n");
    private readonly int[] _peakMempool = new int[rpcs.Length];
    private string _phase = "";
    private long _phaseStart;

    /// <summary>Starts a phase: sampling times count from now, peaks restart.</summary>
    public void Begin(string phase)
    {
        lock (_rows)
        {
            _phase = phase;
            _phaseStart = clock.ElapsedTicks;
            Array.Clear(_peakMempool);
        }
    }

    /// <summary>The largest mempool each node held in the phase.</summary>
    public string PeakMempools()
    {
        lock (_rows) return string.Join(" / ", _peakMempool);
    }

    public async Task RunAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (!_stop.IsCancellationRequested)
        {
            for (int i = 0; i < rpcs.Length; i++)
            {
                string text;
                try
                {
                    text = await http.GetStringAsync(new Uri(rpcs[i], "/metrics"), _stop.Token);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    continue; // a node busy past the timeout or stopping: a missing sample says as much
                }
                int mempool = (int)NodeCounters.Value(text, "mes_mempool_txs");
                lock (_rows)
                {
                    if (_phase.Length == 0) continue;
                    _peakMempool[i] = Math.Max(_peakMempool[i], mempool);
                    _rows.Append(CultureInfo.InvariantCulture,
                        $"{_phase},{(clock.ElapsedTicks - _phaseStart) * 1000 / Stopwatch.Frequency},{i},{NodeCounters.Value(text, "mes_height")},{mempool},{NodeCounters.Value(text, "mes_gc_pause_seconds_total"):F3},{NodeCounters.Value(text, "mes_gc_collections_total{generation=\"0\"}")},{NodeCounters.Value(text, "mes_proposal_tx_limit")},{NodeCounters.Value(text, "mes_apply_ms_per_tx"):F4},{NodeCounters.Value(text, "mes_admission_queue")},{NodeCounters.Value(text, "mes_block_signatures_verified_total")}\n");
                }
            }
            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public void Stop() => _stop.Cancel();

    /// <summary>Writes the samples, then the final blocks (height, ms since the previous one, transactions, view).</summary>
    public void Write(string path, IEnumerable<(ulong Height, long Interval, int Txs, uint View)> blocks)
    {
        lock (_rows)
        {
            var text = new StringBuilder(_rows.ToString()).Append("\nheight,interval_ms,txs,view\n");
            foreach (var (height, interval, txs, view) in blocks) text.Append(CultureInfo.InvariantCulture, $"{height},{interval},{txs},{view}\n");
            File.WriteAllText(path, text.ToString());
        }
    }

    public void Dispose() => _stop.Dispose();
}
