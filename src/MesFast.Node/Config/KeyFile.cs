using System.Text;

namespace MesFast.Node.Config;

/// <summary>
/// A node (witness) signing key on disk: the 32-byte Ed25519 seed as 64 hex characters, mode 0600. The node key
/// must be readable unattended at start, so it is not password-encrypted; the wallet keystore is (PROTOCOL §8.1).
/// </summary>
internal static class KeyFile
{
    public static byte[] ReadSeed(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path)) throw new ConfigException($"{path}: key file not found");
            if (new FileInfo(path).Length > 1024) throw new ConfigException($"{path}: not a key file (too large)");
            text = File.ReadAllText(path).Trim();
        }
        catch (IOException e)
        {
            throw new ConfigException($"{path}: cannot read ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"{path}: cannot read ({e.Message})");
        }
        if (text.Length != 64 || !FieldParsers.IsHex(text))
            throw new ConfigException($"{path}: a key file holds one 32-byte seed as 64 hex characters");
        return Convert.FromHexString(text);
    }

    public static void WriteSeed(string path, ReadOnlySpan<byte> seed) =>
        JsonFiles.WriteAtomically(path, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(seed) + "\n"), secret: true);
}
