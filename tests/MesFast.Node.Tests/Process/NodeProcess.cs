using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MesFast.Node.Tests.Process;

/// <summary>
/// A real <c>mesd</c> process started from the build output (mesd.dll next to the test assembly, or the AOT
/// binary given in MESFAST_MESD), on a free 127.0.0.1 port. Output is captured for failure messages.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
        RpcUri = new Uri($"http://127.0.0.1:{port}/rpc");
    }

    public int Port { get; }

    public Uri RpcUri { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static NodeProcess Start(params string[] arguments) => StartOnPort(FreePort(), arguments);

    /// <summary>Starts mesd with the arguments; "{port}" in an argument is replaced by the chosen RPC port.</summary>
    public static NodeProcess StartOnPort(int port, params string[] arguments)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string? aot = Environment.GetEnvironmentVariable("MESFAST_MESD");
        if (!string.IsNullOrEmpty(aot))
        {
            info.FileName = aot;
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mesd.dll"));
        }
        foreach (string a in arguments) info.ArgumentList.Add(a.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var process = new System.Diagnostics.Process { StartInfo = info };
        var node = new NodeProcess(process, port);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Runs mesd to completion (for commands like --version or init) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunToEnd(TimeSpan timeout, params string[] arguments)
    {
        using var node = StartOnPort(0, arguments);
        if (!node._process.WaitForExit(timeout)) throw new TimeoutException($"mesd {string.Join(' ', arguments)} did not exit within {timeout}");
        node._process.WaitForExit();
        return (node._process.ExitCode, node.Output);
    }

    /// <summary>Waits until GET /health answers 200, or fails with the node's output.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mesd exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"mesd not healthy within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut for the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM-style graceful stop (Ctrl-C equivalent); returns the exit code.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            if (!_process.WaitForExit(timeout)) throw new TimeoutException($"mesd did not stop within {timeout} after SIGTERM:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
