using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MesFast.Perf;

/// <summary>
/// A node's garbage-collection and gossip counters read from its <c>/metrics</c>, to report per phase GC work and
/// transactions that did not reach a node by push (refused "busy", frames dropped at a full send queue, fetched).
/// </summary>
internal readonly record struct NodeCounters(double Gen0, double Gen1, double Gen2, double PauseSeconds, double AllocatedBytes,
    double RefusedBusy, double FramesDropped, double Fetched)
{
    public static async Task<NodeCounters[]> ReadAsync(Uri[] rpcs)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var figures = new NodeCounters[rpcs.Length];
        for (int i = 0; i < rpcs.Length; i++)
        {
            string text = await http.GetStringAsync(new Uri(rpcs[i], "/metrics"));
            figures[i] = new NodeCounters(Value(text, "mes_gc_collections_total{generation=\"0\"}"), Value(text, "mes_gc_collections_total{generation=\"1\"}"),
                Value(text, "mes_gc_collections_total{generation=\"2\"}"), Value(text, "mes_gc_pause_seconds_total"), Value(text, "mes_gc_allocated_bytes_total"),
                Value(text, "mes_mempool_refused_total{code=\"busy\"}"), Value(text, "mes_p2p_frames_dropped"), Value(text, "mes_p2p_tx_fetched_total"));
        }
        return figures;
    }

    /// <summary>Per node: collections by generation, pause time and bytes allocated per transaction of the phase.</summary>
    public static string DescribeGc(NodeCounters[] before, NodeCounters[] after, int transactions)
    {
        return PerNode(before, after, (a, b) => string.Create(CultureInfo.InvariantCulture,
            $"gen0/1/2 {b.Gen0 - a.Gen0:F0}/{b.Gen1 - a.Gen1:F0}/{b.Gen2 - a.Gen2:F0}, paused {b.PauseSeconds - a.PauseSeconds:F2} s, {(b.AllocatedBytes - a.AllocatedBytes) / transactions:F0} B/tx"));
    }

    /// <summary>Per node: submissions refused as busy, frames dropped at full send queues, transactions fetched after an announcement.</summary>
    public static string DescribeGossip(NodeCounters[] before, NodeCounters[] after)
    {
        return PerNode(before, after, (a, b) => string.Create(CultureInfo.InvariantCulture,
            $"busy {Delta(a.RefusedBusy, b.RefusedBusy):F0}, dropped frames {Delta(a.FramesDropped, b.FramesDropped):F0}, fetched {Delta(a.Fetched, b.Fetched):F0}"));
    }

    /// <summary>One description per node, "; "-separated.</summary>
    private static string PerNode(NodeCounters[] before, NodeCounters[] after, Func<NodeCounters, NodeCounters, string> describe)
    {
        var text = new StringBuilder();
        for (int i = 0; i < before.Length; i++) text.Append(i == 0 ? "" : "; ").Append(describe(before[i], after[i]));
        return text.ToString();
    }

    /// <summary>A counter's growth; a counter not yet exported (no refusal so far) counts as 0.</summary>
    private static double Delta(double before, double after) => (double.IsNaN(after) ? 0 : after) - (double.IsNaN(before) ? 0 : before);

    /// <summary>A metric's value in Prometheus text (NaN when absent).</summary>
    internal static double Value(string metrics, string name)
    {
        var match = Regex.Match(metrics, "(?m)^" + Regex.Escape(name) + " (\\S+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }
}

/// <summary>The generator's own GC counters: its pauses delay stamps (submit, answer, final) and so show as latency.</summary>
internal readonly record struct GeneratorGc(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GeneratorGc Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public string Since(GeneratorGc before) => string.Create(CultureInfo.InvariantCulture,
        $"gen0/1/2 {Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}, paused {(Paused - before.Paused).TotalSeconds:F2} s");
}
