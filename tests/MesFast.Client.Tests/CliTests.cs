using MesFast.Cli;

namespace MesFast.Client.Tests;

public sealed class CliTests
{
    private static (int Code, string Out, string Error) Mes(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var env = new CliEnvironment(output, errors, name => name switch
        {
            "MES_RPC" => "http://127.0.0.1:9/rpc", // nothing listens on the discard port
            "MES_KEYSTORE" => Path.Combine(Path.GetTempPath(), "mesfast-cli-" + Environment.ProcessId),
            _ => null,
        }, _ => null);
        int code = MesCli.RunAsync(args, env).GetAwaiter().GetResult();
        return (code, output.ToString(), errors.ToString());
    }

    [Theory]
    [InlineData(new string[] { }, "usage")]
    [InlineData(new[] { "frob" }, "unknown command 'frob'")]
    [InlineData(new[] { "send", "a" }, "usage: mes send")]
    [InlineData(new[] { "send", "a", "tmes1xyz", "1" }, "not a valid 'tmes' address")]
    [InlineData(new[] { "balance", "x", "--bogus", "1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "keys", "list", "--asset", "00" }, "does not take option '--asset'")]
    [InlineData(new[] { "keys", "new", "k" }, "a password is needed")]
    [InlineData(new[] { "tx", "show", "abc" }, "TXID must be 64 hex characters")]
    [InlineData(new[] { "keys", "import", "k" }, "needs --seed-hex HEX or --seed-file F")]
    public void Bad_arguments_exit_2_with_a_message(string[] args, string message)
    {
        var (code, _, error) = Mes(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_node_exits_1_without_a_stack_trace()
    {
        var (code, _, error) = Mes("tx", "show", new string('a', 64));
        Assert.Equal(1, code);
        Assert.Contains("cannot reach the node", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_and_version_exit_0()
    {
        Assert.Equal(0, Mes("--help").Code);
        Assert.StartsWith("mes ", Mes("--version").Out, StringComparison.Ordinal);
    }
}
