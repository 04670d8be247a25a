using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MesFast.Perf;

/// <summary>
/// Where a transaction's submit→final time went, per transaction in Stopwatch ticks: the RPC answer (admission at the
/// entry node), the build of the block that holds it (its proposer's clock), and (in the caller's <c>final</c>) the
/// moment the poller saw that block final. Splits a latency tail into admission, waiting for a block, and consensus.
/// </summary>
internal sealed class Stages(int count)
{
    public long[] Answered { get; } = new long[count];

    public long[] Built { get; } = new long[count];

    /// <summary>p50/p99 of each stage over the committed transactions, and the mean stages of the slowest 1 %.</summary>
    public string Describe(long[] final, long[] submitted, int start, int count)
    {
        var rpc = new List<double>(count);
        var toBlock = new List<double>(count);
        var toFinal = new List<double>(count);
        var total = new List<(double Total, double Rpc, double ToBlock, double ToFinal)>(count);
        for (int i = start; i < start + count; i++)
        {
            if (final[i] <= 0 || Answered[i] == 0 || Built[i] == 0) continue;
            double a = Ms(Answered[i] - submitted[i]), b = Ms(Built[i] - Answered[i]), c = Ms(final[i] - Built[i]);
            rpc.Add(a);
            toBlock.Add(b);
            toFinal.Add(c);
            total.Add((Ms(final[i] - submitted[i]), a, b, c));
        }
        if (total.Count == 0) return "none";
        rpc.Sort();
        toBlock.Sort();
        toFinal.Sort();
        total.Sort((x, y) => y.Total.CompareTo(x.Total));
        int tail = Math.Max(1, total.Count / 100);
        double tRpc = 0, tBlock = 0, tFinal = 0;
        for (int i = 0; i < tail; i++)
        {
            tRpc += total[i].Rpc;
            tBlock += total[i].ToBlock;
            tFinal += total[i].ToFinal;
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"submit→answered {LocalnetLoad.Percentile(rpc, 0.5):F0}/{LocalnetLoad.Percentile(rpc, 0.99):F0} ms, answered→block built {LocalnetLoad.Percentile(toBlock, 0.5):F0}/{LocalnetLoad.Percentile(toBlock, 0.99):F0} ms, ");
        text.Append(CultureInfo.InvariantCulture, $"built→seen final {LocalnetLoad.Percentile(toFinal, 0.5):F0}/{LocalnetLoad.Percentile(toFinal, 0.99):F0} ms (p50/p99); ");
        text.Append(CultureInfo.InvariantCulture, $"slowest 1 % on average: {tRpc / tail:F0} + {tBlock / tail:F0} + {tFinal / tail:F0} ms");
        return text.ToString();
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
