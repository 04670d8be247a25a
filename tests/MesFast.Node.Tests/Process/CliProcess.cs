using System.Diagnostics;

namespace MesFast.Node.Tests.Process;

/// <summary>Runs the <c>mes</c> CLI as a real process (mes.dll from the build output, or MESFAST_MES for the AOT binary).</summary>
internal static class CliProcess
{
    public static (int ExitCode, string Out, string Error) Run(IReadOnlyDictionary<string, string> env, params string[] arguments)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        string? aot = Environment.GetEnvironmentVariable("MESFAST_MES");
        if (!string.IsNullOrEmpty(aot))
        {
            info.FileName = aot;
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mes.dll"));
        }
        foreach (string a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"mes {string.Join(' ', arguments)} hung");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
