namespace MesFast.Core.Tests;

/// <summary>Seeds for randomized tests: fixed by default (reproducible), overridable with MESFAST_TEST_SEED.</summary>
internal static class TestSeeds
{
    public static int Get(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("MESFAST_TEST_SEED"), out int seed) ? seed : fallback;
}
