namespace MesFast.Client.Tests;

public sealed class KeystoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mesfast-keys-" + Guid.NewGuid().ToString("N"));

    // Minimum-cost Argon2id keeps the tests fast; the default is 64 MiB × 3 passes.
    private Keystore Store => new(_dir, memoryKiB: 8, passes: 1);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_saved_key_loads_back_only_with_its_password()
    {
        using var signer = Signer.Generate();
        var address = Store.Save("alice", signer.ExportSeed(), "correct horse", "tmes");
        Assert.Equal(signer.Address, address);
        using var loaded = Store.Load("alice", "correct horse");
        Assert.Equal(signer.PublicKey, loaded.PublicKey);
        var wrong = Assert.Throws<KeystoreException>(() => Store.Load("alice", "battery staple"));
        Assert.Contains("wrong password", wrong.Message, StringComparison.Ordinal);
        Assert.Equal([("alice", address.ToBech32("tmes"))], Store.List());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Store.PathOf("alice")));
        string text = File.ReadAllText(Store.PathOf("alice"));
        Assert.DoesNotContain(Convert.ToHexStringLower(signer.ExportSeed()), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampering_with_any_field_is_detected()
    {
        using var signer = Signer.Generate();
        using var other = Signer.Generate();
        Store.Save("bob", signer.ExportSeed(), "pw", "tmes");
        string path = Store.PathOf("bob");
        string original = File.ReadAllText(path);
        File.WriteAllText(path, original.Replace(signer.Address.ToBech32("tmes"), other.Address.ToBech32("tmes"), StringComparison.Ordinal));
        Assert.Throws<KeystoreException>(() => Store.Load("bob", "pw"));
        int at = original.IndexOf("\"ciphertext\": \"", StringComparison.Ordinal) + 16;
        char flipped = original[at] == '0' ? '1' : '0';
        File.WriteAllText(path, original[..at] + flipped + original[(at + 1)..]);
        Assert.Throws<KeystoreException>(() => Store.Load("bob", "pw"));
        File.WriteAllText(path, "{}");
        Assert.Throws<KeystoreException>(() => Store.Load("bob", "pw"));
    }

    [Fact]
    public void Names_are_checked_and_never_overwritten()
    {
        using var signer = Signer.Generate();
        Store.Save("carol", signer.ExportSeed(), "pw", "tmes");
        Assert.Throws<KeystoreException>(() => Store.Save("carol", signer.ExportSeed(), "pw", "tmes"));
        Assert.Throws<KeystoreException>(() => Store.Save("../evil", signer.ExportSeed(), "pw", "tmes"));
        Assert.Throws<KeystoreException>(() => Store.Load("nobody", "pw"));
    }
}
