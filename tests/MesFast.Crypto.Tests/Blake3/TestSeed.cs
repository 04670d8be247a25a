namespace MesFast.Crypto.Tests;

/// <summary>A fresh RNG seed per run (printed in every failure message), or a fixed one from <c>BLAKE3_TEST_SEED</c> to replay.</summary>
internal static class TestSeed
{
    public static int Next()
        => int.TryParse(Environment.GetEnvironmentVariable("BLAKE3_TEST_SEED"), out int fixedSeed) ? fixedSeed : Random.Shared.Next();
}
