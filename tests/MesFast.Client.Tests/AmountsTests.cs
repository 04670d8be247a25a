namespace MesFast.Client.Tests;

public sealed class AmountsTests
{
    [Theory]
    [InlineData("12.5", 1_250_000_000UL)]
    [InlineData("12.5 MES", 1_250_000_000UL)]
    [InlineData("0.00000001", 1UL)]
    [InlineData("184467440737.09551615", ulong.MaxValue)]
    [InlineData(".5", 50_000_000UL)]
    [InlineData("7", 700_000_000UL)]
    public void Parses_exactly(string text, ulong units) => Assert.Equal(units, Amounts.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-1", "negative")]
    [InlineData("1.123456789", "9 decimals")]
    [InlineData("184467440737.09551616", "too large")]
    [InlineData("1,5", "not an amount")]
    [InlineData("1.", "not an amount")]
    [InlineData("1 FILM", "not 'FILM'")]
    [InlineData("1e5", "not an amount")]
    public void Refuses_with_a_reason(string text, string reason)
    {
        Assert.False(Amounts.TryParse(text, 8, "MES", out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_then_parse_is_the_identity_for_random_amounts_and_decimals()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MESFAST_TEST_SEED"), out int s) ? s : Random.Shared.Next();
        var rng = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            ulong units = (ulong)rng.NextInt64() >> rng.Next(0, 60);
            int decimals = rng.Next(0, 19);
            string text = Amounts.Format(units, decimals);
            Assert.True(Amounts.TryParse(text, decimals, "X", out ulong back, out string? error), $"seed {seed}: {text}: {error}");
            Assert.True(units == back, $"seed {seed}: {units} → {text} → {back}");
            Assert.False(text.Contains('.', StringComparison.Ordinal) && text.EndsWith('0'), $"seed {seed}: trailing zero in {text}");
        }
    }
}
