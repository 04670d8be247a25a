using MesFast.Client;
using MesFast.Crypto;

namespace MesFast.Cli;

/// <summary>Options shared by the commands: RPC endpoint, keystore, password source, address prefix, output form.</summary>
internal sealed class CliContext(CliArgs args, CliEnvironment env) : IDisposable
{
    private MesRpcClient? _rpc;

    public CliArgs Args { get; } = args;

    public CliEnvironment Env { get; } = env;

    public bool Json => Args.Has("--json");

    public string Hrp
    {
        get
        {
            string hrp = Args.Value("--hrp") ?? Env.Variable("MES_HRP") ?? Address.TestnetHrp;
            if (hrp is not (Address.MainnetHrp or Address.TestnetHrp)) throw new UsageException($"--hrp must be mes or tmes, got '{hrp}'");
            return hrp;
        }
    }

    public Keystore Keystore => new(Args.Value("--keystore") ?? Env.Variable("MES_KEYSTORE") ?? Keystore.DefaultDirectory);

    public MesRpcClient Rpc
    {
        get
        {
            if (_rpc is not null) return _rpc;
            string url = Args.Value("--rpc") ?? Env.Variable("MES_RPC") ?? "http://127.0.0.1:8645/rpc";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UsageException($"--rpc must be an http(s) URL, got '{url}'");
            return _rpc = new MesRpcClient(uri);
        }
    }

    /// <summary>The password: --password-file, then MES_PASSWORD, then a prompt without echo; else a clear error.</summary>
    public string Password(bool confirm)
    {
        if (Args.Value("--password-file") is { } file)
        {
            if (!File.Exists(file)) throw new UsageException($"password file '{file}' not found");
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        if (Env.Variable("MES_PASSWORD") is { Length: > 0 } fromEnv) return fromEnv;
        string? typed = Env.PromptPassword("password: ");
        if (typed is null) throw new UsageException("a password is needed: use --password-file F or MES_PASSWORD (no terminal to ask on)");
        if (confirm && Env.PromptPassword("repeat password: ") != typed) throw new UsageException("the passwords differ");
        return typed;
    }

    /// <summary>An address in text, or the name of a key in the keystore.</summary>
    public string ResolveAddress(string nameOrAddress)
    {
        if (nameOrAddress.StartsWith(Hrp + "1", StringComparison.Ordinal))
        {
            if (!Address.TryParse(nameOrAddress, Hrp, out _, out var error)) throw new UsageException($"'{nameOrAddress}' is not a valid address ({error})");
            return nameOrAddress;
        }
        var (address, _) = Keystore.Show(nameOrAddress);
        return address;
    }

    public void Dispose() => _rpc?.Dispose();
}
