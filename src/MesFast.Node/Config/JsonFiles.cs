using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MesFast.Node.Config;

/// <summary>Reads and atomically writes the node's small JSON files, turning every failure into a ConfigException.</summary>
internal static class JsonFiles
{
    /// <summary>Config files are small; anything bigger is not one of ours.</summary>
    private const long MaxBytes = 1 << 20;

    public static T Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        string name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ConfigException($"{path}: file not found");
            if (info.Length > MaxBytes) throw new ConfigException($"{path}: file is {info.Length} bytes; a config file is at most {MaxBytes}");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ConfigException($"{path}: cannot read ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"{path}: cannot read ({e.Message})");
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new ConfigException($"{name}: the file holds JSON null, expected an object");
        }
        catch (JsonException e)
        {
            string where = e.Path is null ? "" : $" at {e.Path}";
            string line = e.LineNumber is null ? "" : $" (line {e.LineNumber + 1})";
            throw new ConfigException($"{name}: invalid JSON{where}{line}: {FirstSentence(e.Message)}");
        }
    }

    public static void Write<T>(string path, T value, JsonTypeInfo<T> type)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        WriteAtomically(path, bytes, secret: false);
    }

    /// <summary>Writes through a temp file and a rename so a crash never leaves half a file; secret files get mode 0600.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes, bool secret)
    {
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
