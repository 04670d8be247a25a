namespace MesFast.Storage.Tests;

/// <summary>Seed for randomised tests: MESFAST_TEST_SEED when set, else random; always put it in failure messages.</summary>
internal static class TestSeed
{
    public static int Next() =>
        int.TryParse(Environment.GetEnvironmentVariable("MESFAST_TEST_SEED"), out int seed) ? seed : Random.Shared.Next();
}
