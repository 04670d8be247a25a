using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using MesFast.Crypto;

namespace MesFast.Bench;

/// <summary>
/// <c>--hash-file FILE [--runs N]</c>: memory-maps FILE (as b3sum does), hashes it with one thread and prints
/// <c>HEX SECONDS</c> per run. Used by <c>perf/blake3-vs-b3sum.sh</c>; a short warm-up first so the timed runs use
/// fully optimised code (start with DOTNET_TieredCompilation=0 to skip tiering entirely).
/// </summary>
internal static class Blake3HashFile
{
    public static unsafe int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: --hash-file FILE [--runs N]");
            return 2;
        }
        string path = args[1];
        int runs = args.Length >= 4 && args[2] == "--runs" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;

        var warmUp = new byte[4 << 20];
        for (int i = 0; i < 5; i++) Blake3.Hash(warmUp);

        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            Console.WriteLine($"{Convert.ToHexStringLower(Blake3.Hash([]).Span)} 0");
            return 0;
        }
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            pointer += view.PointerOffset;
            for (int run = 0; run < runs; run++)
            {
                var hasher = Blake3Hasher.CreateHash();
                long start = Stopwatch.GetTimestamp();
                for (long done = 0; done < length;)
                {
                    int take = (int)Math.Min(1 << 30, length - done);
                    hasher.Update(new ReadOnlySpan<byte>(pointer + done, take));
                    done += take;
                }
                Hash32 hash = hasher.Finalize();
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(hash.Span)} {seconds:F6}"));
            }
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        return 0;
    }
}
