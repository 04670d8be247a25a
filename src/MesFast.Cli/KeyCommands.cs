using MesFast.Client;

namespace MesFast.Cli;

/// <summary><c>mes keys new|import|list|show</c>.</summary>
internal static class KeyCommands
{
    public static int New(CliContext c)
    {
        c.Args.Allow("keys new");
        c.Args.ExpectWords("keys new", 3, "keys new NAME");
        string name = c.Args.Words[2];
        using var signer = Signer.Generate();
        return Save(c, name, signer.ExportSeed(), confirm: true);
    }

    public static int Import(CliContext c)
    {
        c.Args.Allow("keys import", "--seed-hex", "--seed-file");
        c.Args.ExpectWords("keys import", 3, "keys import NAME (--seed-hex HEX | --seed-file F)");
        string? hex = c.Args.Value("--seed-hex");
        if (c.Args.Value("--seed-file") is { } file)
        {
            if (hex is not null) throw new UsageException("give either --seed-hex or --seed-file, not both");
            if (!File.Exists(file)) throw new UsageException($"seed file '{file}' not found");
            hex = File.ReadAllText(file).Trim();
        }
        if (hex is null) throw new UsageException("keys import needs --seed-hex HEX or --seed-file F");
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit)) throw new UsageException("a seed is 64 hex characters (32 bytes)");
        return Save(c, c.Args.Words[2], Convert.FromHexString(hex), confirm: false);
    }

    public static int List(CliContext c)
    {
        c.Args.Allow("keys list");
        c.Args.ExpectWords("keys list", 2, "keys list");
        var keys = c.Keystore.List();
        if (c.Json)
        {
            c.Env.Out.WriteLine("[" + string.Join(",", keys.Select(k => $"{{\"name\":{Quote(k.Name)},\"address\":{Quote(k.Address)}}}")) + "]");
            return 0;
        }
        if (keys.Count == 0) c.Env.Out.WriteLine($"no keys in {c.Keystore.Directory} (create one with: mes keys new NAME)");
        foreach (var (name, address) in keys) c.Env.Out.WriteLine($"{name,-20} {address}");
        return 0;
    }

    public static int Show(CliContext c)
    {
        c.Args.Allow("keys show");
        c.Args.ExpectWords("keys show", 3, "keys show NAME");
        string name = c.Args.Words[2];
        var (address, publicKey) = c.Keystore.Show(name);
        if (c.Json) c.Env.Out.WriteLine($"{{\"name\":{Quote(name)},\"address\":{Quote(address)},\"publicKey\":{Quote(publicKey)}}}");
        else c.Env.Out.WriteLine($"name       {name}\naddress    {address}\npublic key {publicKey}");
        return 0;
    }

    /// <summary>Encrypts a seed into the keystore, prints where it went, and wipes the seed.</summary>
    private static int Save(CliContext c, string name, byte[] seed, bool confirm)
    {
        try
        {
            var address = c.Keystore.Save(name, seed, c.Password(confirm), c.Hrp);
            Print(c, name, address.ToBech32(c.Hrp), c.Keystore.PathOf(name));
            return 0;
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    private static void Print(CliContext c, string name, string address, string path)
    {
        if (c.Json) c.Env.Out.WriteLine($"{{\"name\":{Quote(name)},\"address\":{Quote(address)},\"file\":{Quote(path)}}}");
        else c.Env.Out.WriteLine($"key '{name}' saved to {path}\naddress {address}");
    }

    internal static string Quote(string s) => System.Text.Json.JsonEncodedText.Encode(s).ToString() is var e ? $"\"{e}\"" : "";
}
