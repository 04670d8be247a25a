using System.Runtime.InteropServices;

namespace MesFast.Node.Commands;

/// <summary>POSIX signals to other processes (.NET can only SIGKILL them); used by localnet to stop nodes cleanly.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Terminate(int pid) => pid > 0 && Kill(pid, SigTerm) == 0;

    public static bool ForceKill(int pid) => pid > 0 && Kill(pid, SigKill) == 0;

    /// <summary>True while <paramref name="pid"/> exists and is a mesd process (guards against recycled pids).</summary>
    public static bool IsAliveMesd(int pid)
    {
        if (pid <= 0 || Kill(pid, 0) != 0) return false;
        try
        {
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("mesd", StringComparison.Ordinal) && cmdline.Contains("run", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true; // no /proc (not Linux): trust kill(pid, 0)
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
