using System.Text;
using System.Text.Json;
using MesFast.Crypto;
using NSec.Cryptography;

namespace MesFast.Client;

/// <summary>A wrong password, a damaged file or a missing key; the message says which.</summary>
public sealed class KeystoreException(string message) : Exception(message);

/// <summary>
/// Encrypted key files, one per key (PROTOCOL §8.1): the 32-byte seed is encrypted with XChaCha20-Poly1305 under a
/// key derived from the password with Argon2id (libsodium through NSec); the name, address and public key are the
/// associated data, so editing them is detected too. Files are written with mode 0600.
/// </summary>
public sealed class Keystore
{
    public const int FormatVersion = 1;
    public const long DefaultMemoryKiB = 64 * 1024;
    public const long DefaultPasses = 3;

    private readonly long _memoryKiB;
    private readonly long _passes;

    public Keystore(string directory, long memoryKiB = DefaultMemoryKiB, long passes = DefaultPasses)
    {
        Directory = directory;
        _memoryKiB = memoryKiB;
        _passes = passes;
    }

    public string Directory { get; }

    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".mes", "keys");

    public string PathOf(string name) => Path.Combine(Directory, name + ".json");

    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64) return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return name[0] != '.';
    }

    /// <summary>Encrypts and stores a seed under a new name; refuses to overwrite.</summary>
    public Address Save(string name, ReadOnlySpan<byte> seed, string password, string hrp)
    {
        if (!IsValidName(name)) throw new KeystoreException($"'{name}' is not a valid key name (1–64 of A–Z a–z 0–9 - _ .)");
        if (seed.Length != 32) throw new KeystoreException("a seed is 32 bytes");
        if (password.Length == 0) throw new KeystoreException("the password is empty");
        System.IO.Directory.CreateDirectory(Directory);
        string path = PathOf(name);
        if (File.Exists(path)) throw new KeystoreException($"a key named '{name}' already exists ({path})");
        using var signer = new Signer(seed);
        var salt = new byte[16];
        var nonce = new byte[24];
        System.Security.Cryptography.RandomNumberGenerator.Fill(salt);
        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
        var file = new KeystoreFile
        {
            Version = FormatVersion,
            Name = name,
            Address = signer.Address.ToBech32(hrp),
            PublicKey = Convert.ToHexStringLower(signer.PublicKey),
            Kdf = "argon2id",
            MemoryKiB = _memoryKiB,
            Passes = _passes,
            Salt = Convert.ToHexStringLower(salt),
            Cipher = "xchacha20poly1305",
            Nonce = Convert.ToHexStringLower(nonce),
        };
        using (var key = DeriveKey(password, salt, _memoryKiB, _passes))
            file.Ciphertext = Convert.ToHexStringLower(AeadAlgorithm.XChaCha20Poly1305.Encrypt(key, nonce, AssociatedData(file), seed));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(file, KeystoreJsonContext.Default.KeystoreFile);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        {
            stream.Write(json);
            stream.Flush(flushToDisk: true);
        }
        return signer.Address;
    }

    /// <summary>Decrypts a key; wrong password and tampering both fail authentication.</summary>
    public Signer Load(string name, string password)
    {
        var file = Read(name);
        var salt = Hex(file.Salt, name, "salt", 16);
        var nonce = Hex(file.Nonce, name, "nonce", 24);
        var ciphertext = Hex(file.Ciphertext, name, "ciphertext", 48);
        if (file.Kdf != "argon2id" || file.Cipher != "xchacha20poly1305" || file.MemoryKiB < 8 || file.Passes < 1 || file.MemoryKiB > 4L << 20 || file.Passes > 64)
            throw new KeystoreException($"key '{name}': unsupported or damaged KDF/cipher parameters");
        var seed = new byte[32];
        using (var key = DeriveKey(password, salt, file.MemoryKiB, file.Passes))
        {
            if (!AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, nonce, AssociatedData(file), ciphertext, seed))
                throw new KeystoreException($"key '{name}': wrong password, or the file was altered");
        }
        var signer = new Signer(seed);
        Array.Clear(seed);
        if (!string.Equals(Convert.ToHexStringLower(signer.PublicKey), file.PublicKey, StringComparison.Ordinal))
            throw new KeystoreException($"key '{name}': the decrypted key does not match the file's public key");
        return signer;
    }

    /// <summary>Name and address of every key, sorted by name.</summary>
    public List<(string Name, string Address)> List()
    {
        var keys = new List<(string, string)>();
        if (!System.IO.Directory.Exists(Directory)) return keys;
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*.json"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            try
            {
                keys.Add((name, Read(name).Address!));
            }
            catch (KeystoreException)
            {
                keys.Add((name, "(unreadable key file)"));
            }
        }
        keys.Sort(static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return keys;
    }

    /// <summary>The public part of a key file (no password needed).</summary>
    public (string Address, string PublicKey) Show(string name)
    {
        var file = Read(name);
        return (file.Address!, file.PublicKey!);
    }

    private KeystoreFile Read(string name)
    {
        if (!IsValidName(name)) throw new KeystoreException($"'{name}' is not a valid key name");
        string path = PathOf(name);
        if (!File.Exists(path)) throw new KeystoreException($"no key named '{name}' in {Directory}");
        KeystoreFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), KeystoreJsonContext.Default.KeystoreFile);
        }
        catch (JsonException e)
        {
            throw new KeystoreException($"key '{name}': {path} is not a key file ({e.Message})");
        }
        if (file is null || file.Version != FormatVersion || file.Name != name || file.Address is null || file.PublicKey is null)
            throw new KeystoreException($"key '{name}': {path} is damaged or of an unknown version");
        return file;
    }

    private static Key DeriveKey(string password, byte[] salt, long memoryKiB, long passes)
    {
        var kdf = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = passes,
        });
        return kdf.DeriveKey(password, salt, AeadAlgorithm.XChaCha20Poly1305);
    }

    private static byte[] AssociatedData(KeystoreFile file) =>
        Encoding.UTF8.GetBytes($"mes-keystore/v{file.Version}|{file.Name}|{file.Address}|{file.PublicKey}|{file.MemoryKiB}|{file.Passes}");

    private static byte[] Hex(string? text, string name, string field, int minBytes)
    {
        if (text is null || text.Length % 2 != 0 || text.Length / 2 < minBytes) throw new KeystoreException($"key '{name}': field '{field}' is damaged");
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new KeystoreException($"key '{name}': field '{field}' is damaged");
        }
    }
}
