namespace MesFast.Crypto.Tests;

/// <summary>Locates <c>../shared/vectors/</c> (next to the repository root) from the test's working folder.</summary>
internal static class VectorFiles
{
    public static string Path(string fileName)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            string candidate = System.IO.Path.Combine(dir, "..", "shared", "vectors", fileName);
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir, "MesFast.sln")))
                return System.IO.Path.GetFullPath(candidate);
            dir = System.IO.Path.GetDirectoryName(dir);
        }
        throw new FileNotFoundException($"vector file {fileName} not found in ../shared/vectors next to the repository root");
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
