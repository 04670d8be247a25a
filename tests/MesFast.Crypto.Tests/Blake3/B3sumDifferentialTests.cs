using System.Diagnostics;

namespace MesFast.Crypto.Tests;

/// <summary>
/// Differential test against the <c>b3sum</c> tool (the reference Rust implementation): random files, every mode,
/// extended output. Fails, never skips, when b3sum is missing: <c>test.sh</c> installs it (<c>apt-get install b3sum</c>).
/// </summary>
public sealed class B3sumDifferentialTests
{
    private static string B3sum()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(dir, "b3sum");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("b3sum not found on PATH: run `apt-get install b3sum` (test.sh installs it) — this differential test must not be skipped");
        return "";
    }

    private static string Run(string b3sum, string arguments, byte[]? stdin)
    {
        var info = new ProcessStartInfo(b3sum, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(info)!;
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"b3sum {arguments} failed ({process.ExitCode}): {error}");
        return output.Trim();
    }

    [Fact]
    public void Random_files_match_b3sum_in_all_modes_and_output_lengths()
    {
        string b3sum = B3sum();
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        int[] sizes = [0, 1, 64, 1024, 1025, 4096 + 3, 65536, 1 << 20, 3 * (1 << 20) + 12345, rng.Next(0, 200_000)];
        string file = Path.Combine(Path.GetTempPath(), $"mesfast-b3sum-{Environment.ProcessId}-{seed}.bin");
        var key = new byte[32];
        rng.NextBytes(key);
        const string context = "mes/b3sum-test/v1";
        try
        {
            foreach (int size in sizes)
            {
                var content = new byte[size];
                rng.NextBytes(content);
                File.WriteAllBytes(file, content);
                int outLength = rng.Next(1, 300);
                string where = $"size={size} seed={seed}";

                Assert.Equal(Run(b3sum, $"--no-names \"{file}\"", null), Convert.ToHexStringLower(Blake3.Hash(content).Span));

                var xof = new byte[outLength];
                Blake3.Hash(content, xof);
                Assert.True(Run(b3sum, $"--no-names --length {outLength} \"{file}\"", null) == Convert.ToHexStringLower(xof), where + $" length={outLength}");

                var keyed = new byte[32];
                Blake3.KeyedHash(key, content, keyed);
                Assert.True(Run(b3sum, $"--no-names --keyed \"{file}\"", key) == Convert.ToHexStringLower(keyed), where + " keyed");

                var derived = new byte[32];
                Blake3.DeriveKey(context, content, derived);
                Assert.True(Run(b3sum, $"--no-names --derive-key \"{context}\" \"{file}\"", null) == Convert.ToHexStringLower(derived), where + " derive-key");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
