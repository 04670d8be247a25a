using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MesFast.Perf;

/// <summary>A node's garbage-collection counters read from its <c>/metrics</c>, to report GC work per phase.</summary>
internal readonly record struct GcFigures(double Gen0, double Gen1, double Gen2, double PauseSeconds, double AllocatedBytes)
{
    public static async Task<GcFigures[]> ReadAsync(Uri[] rpcs)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var figures = new GcFigures[rpcs.Length];
        for (int i = 0; i < rpcs.Length; i++)
        {
            string text = await http.GetStringAsync(new Uri(rpcs[i], "/metrics"));
            figures[i] = new GcFigures(Value(text, "mes_gc_collections_total{generation=\"0\"}"), Value(text, "mes_gc_collections_total{generation=\"1\"}"),
                Value(text, "mes_gc_collections_total{generation=\"2\"}"), Value(text, "mes_gc_pause_seconds_total"), Value(text, "mes_gc_allocated_bytes_total"));
        }
        return figures;
    }

    /// <summary>Per node: collections by generation, pause time and bytes allocated per transaction of the phase.</summary>
    public static string Describe(GcFigures[] before, GcFigures[] after, int transactions)
    {
        var text = new StringBuilder();
        for (int i = 0; i < before.Length; i++)
        {
            GcFigures a = before[i], b = after[i];
            text.Append(i == 0 ? "" : "; ").Append(CultureInfo.InvariantCulture,
                $"gen0/1/2 {b.Gen0 - a.Gen0:F0}/{b.Gen1 - a.Gen1:F0}/{b.Gen2 - a.Gen2:F0}, paused {b.PauseSeconds - a.PauseSeconds:F2} s, {(b.AllocatedBytes - a.AllocatedBytes) / transactions:F0} B/tx");
        }
        return text.ToString();
    }

    private static double Value(string metrics, string name)
    {
        var match = Regex.Match(metrics, "(?m)^" + Regex.Escape(name) + " (\\S+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }
}
