using System.Runtime.InteropServices;

namespace MesFast.Core.Threading;

/// <summary>
/// Lowers the CPU priority of the calling thread, for bulk work that must yield to a node's critical path.
/// On Linux the nice value is per thread (setpriority with who = 0 acts on the calling thread), and an
/// unprivileged process may always raise it; elsewhere the managed thread priority is used.
/// </summary>
public static partial class BackgroundPriority
{
    /// <summary>
    /// Nice 5: against each thread at nice 0 that wants the CPU this one weighs about a third (CFS weights 335 against
    /// 1024), and it gets all they leave. Nice 10 (110) measured no better and made RPC callers wait longer.
    /// </summary>
    public const int Nice = 5;

    /// <summary>Lowers the calling thread's priority; false when the platform refused (the thread runs as before).</summary>
    public static bool TryLowerCurrentThread()
    {
        if (OperatingSystem.IsLinux()) return SetPriority(PrioProcess, 0, Nice) == 0;
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            return true;
        }
        catch (ThreadStateException)
        {
            return false;
        }
    }

    /// <summary>Nice value of the calling thread (Linux), or null where threads have none.</summary>
    public static int? CurrentNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        Marshal.SetLastSystemError(0);
        int nice = GetPriority(PrioProcess, 0);
        return nice == -1 && Marshal.GetLastSystemError() != 0 ? null : nice;
    }

    private const int PrioProcess = 0;

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);
}
