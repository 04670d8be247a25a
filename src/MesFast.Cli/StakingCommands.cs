using System.Globalization;
using System.Text.Json;
using MesFast.Client;

namespace MesFast.Cli;

/// <summary>Read-only DPoS commands: the witnesses in force and the candidates (mes_getWitnesses, mes_getCandidates).</summary>
internal static class StakingCommands
{
    public static async Task<int> WitnessesAsync(CliContext c)
    {
        using var doc = await QueryAsync(c, "witnesses", "mes_getWitnesses").ConfigureAwait(false);
        if (doc is null) return 0;
        var r = doc.RootElement;
        c.Env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.GetProperty("epoch").GetUInt32()} (heights {r.GetProperty("epochStart").GetUInt64()}-{r.GetProperty("epochEnd").GetUInt64() - 1}), round {r.GetProperty("round").GetUInt64()} (heights {r.GetProperty("roundStart").GetUInt64()}-{r.GetProperty("roundEnd").GetUInt64() - 1})"));
        c.Env.Out.WriteLine("  #  node key          name                 votes (MES)       reward address");
        foreach (var w in r.GetProperty("witnesses").EnumerateArray())
        {
            var candidate = w.GetProperty("candidate");
            bool registered = candidate.ValueKind == JsonValueKind.Object;
            string name = registered ? candidate.GetProperty("name").GetString()! : "(genesis)";
            string votes = registered ? Amounts.Format(ulong.Parse(candidate.GetProperty("votes").GetString()!, CultureInfo.InvariantCulture)) : "-";
            c.Env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{w.GetProperty("index").GetInt32(),3}  {Short(w.GetProperty("nodeKey").GetString()!)}  {Clip(name, 20),-20} {votes,17}  {w.GetProperty("rewardAddress").GetString()}"));
        }
        return 0;
    }

    public static async Task<int> CandidatesAsync(CliContext c)
    {
        using var doc = await QueryAsync(c, "candidates", "mes_getCandidates").ConfigureAwait(false);
        if (doc is null) return 0;
        var all = doc.RootElement;
        if (all.GetArrayLength() == 0)
        {
            c.Env.Out.WriteLine("no registered candidates");
            return 0;
        }
        c.Env.Out.WriteLine("rank  node key          name                 votes (MES)       bond (MES)  voter share  witness");
        int rank = 0;
        foreach (var k in all.EnumerateArray())
        {
            ulong votes = ulong.Parse(k.GetProperty("votes").GetString()!, CultureInfo.InvariantCulture);
            ulong bond = ulong.Parse(k.GetProperty("bond").GetString()!, CultureInfo.InvariantCulture);
            c.Env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{++rank,4}  {Short(k.GetProperty("nodeKey").GetString()!)}  {Clip(k.GetProperty("name").GetString()!, 20),-20} {Amounts.Format(votes),17} {Amounts.Format(bond),12}  {k.GetProperty("voterShareBps").GetInt32() / 100.0,10:F2}%  {(k.GetProperty("witness").GetBoolean() ? "yes" : "no")}"));
        }
        return 0;
    }

    /// <summary>Runs a query without parameters; under --json prints its raw result and returns null.</summary>
    private static async Task<JsonDocument?> QueryAsync(CliContext c, string command, string method)
    {
        c.Args.Allow(command);
        c.Args.ExpectWords(command, 1, command);
        var doc = await c.Rpc.CallAsync(method, static _ => { }).ConfigureAwait(false);
        if (!c.Json) return doc;
        using (doc) c.Env.Out.WriteLine(doc.RootElement.GetRawText());
        return null;
    }

    /// <summary>The first and last hex digits of a node key, enough to tell witnesses apart in a table.</summary>
    private static string Short(string hex) => hex.Length <= 16 ? hex : hex[..8] + "…" + hex[^8..];

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
