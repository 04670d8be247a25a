using System.Globalization;
using System.Text;

namespace MesFast.Storage;

/// <summary>
/// The list of durable checkpoints of one store: <c>height token count</c> per line, ascending by height. Written
/// through a temp file, fsync and rename, so it is always either the old or the new list.
/// </summary>
internal sealed class CheckpointManifest
{
    public const string FileName = "checkpoints.txt";

    private readonly List<Entry> _entries = [];

    public readonly record struct Entry(ulong Height, Guid Token, long Count);

    public IReadOnlyList<Entry> Entries => _entries;

    public static CheckpointManifest Load(string directory)
    {
        var manifest = new CheckpointManifest();
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return manifest;
        int lineNumber = 0;
        foreach (string line in File.ReadAllLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] parts = line.Split(' ');
            if (parts.Length != 3
                || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong height)
                || !Guid.TryParseExact(parts[1], "N", out var token)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                throw new InvalidDataException($"{path}: line {lineNumber} is not 'height token count': '{line}'");
            if (manifest._entries.Count > 0 && manifest._entries[^1].Height >= height)
                throw new InvalidDataException($"{path}: line {lineNumber}: heights must ascend");
            manifest._entries.Add(new Entry(height, token, count));
        }
        return manifest;
    }

    public void Add(Entry entry)
    {
        // A re-checkpoint at the same height (after recovery) replaces the older entry.
        if (_entries.Count > 0 && _entries[^1].Height >= entry.Height)
        {
            if (_entries[^1].Height != entry.Height)
                throw new InvalidOperationException($"checkpoint heights must ascend: {entry.Height} after {_entries[^1].Height}");
            _entries.RemoveAt(_entries.Count - 1);
        }
        _entries.Add(entry);
    }

    /// <summary>Drops entries after <paramref name="height"/> (they describe states newer than the one recovered).</summary>
    public List<Entry> RemoveAbove(ulong height)
    {
        var removed = new List<Entry>();
        for (int i = _entries.Count - 1; i >= 0 && _entries[i].Height > height; i--)
        {
            removed.Add(_entries[i]);
            _entries.RemoveAt(i);
        }
        return removed;
    }

    public List<Entry> TrimTo(int keep)
    {
        var removed = new List<Entry>();
        while (_entries.Count > keep)
        {
            removed.Add(_entries[0]);
            _entries.RemoveAt(0);
        }
        return removed;
    }

    public void Save(string directory)
    {
        var text = new StringBuilder();
        foreach (var e in _entries)
            text.Append(CultureInfo.InvariantCulture, $"{e.Height} {e.Token:N} {e.Count}\n");
        string path = Path.Combine(directory, FileName);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
