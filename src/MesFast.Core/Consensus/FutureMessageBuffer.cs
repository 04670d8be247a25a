namespace MesFast.Core.Consensus;

/// <summary>
/// Messages for a later view or height, kept so a node slightly behind does not lose them. Bounded per claimed
/// author (votes, ViewChanges and NewViews are signature-checked before they get here), the rest is dropped.
/// </summary>
internal sealed class FutureMessageBuffer
{
    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public bool TryAdd(int author, ConsensusMessage message, bool verified, int perAuthorLimit)
    {
        int fromAuthor = 0;
        foreach (var entry in _entries)
            if (entry.Author == author && ++fromAuthor >= perAuthorLimit) return false;
        _entries.Add(new Entry(author, message, verified));
        return true;
    }

    /// <summary>Removes and returns the entries <paramref name="isDue"/> accepts, dropping those <paramref name="isStale"/> accepts.</summary>
    public List<Entry> TakeDue(Func<ConsensusMessage, bool> isDue, Func<ConsensusMessage, bool> isStale)
    {
        var due = new List<Entry>();
        int kept = 0;
        for (int i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (isStale(entry.Message)) continue;
            if (isDue(entry.Message)) due.Add(entry);
            else _entries[kept++] = entry;
        }
        _entries.RemoveRange(kept, _entries.Count - kept);
        return due;
    }

    public void Clear() => _entries.Clear();

    internal readonly record struct Entry(int Author, ConsensusMessage Message, bool Verified);
}
