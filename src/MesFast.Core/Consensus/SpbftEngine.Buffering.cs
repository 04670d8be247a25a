namespace MesFast.Core.Consensus;

/// <summary>Messages for a later view or height wait in a bounded buffer and are replayed when they become current.</summary>
public sealed partial class SpbftEngine
{
    private bool _replayPending;
    private bool _replaying;

    private void Buffer(int author, ConsensusMessage message, bool verified)
    {
        if (message.Height - Height > _options.MaxFutureHeights) return; // far behind: the host catches up instead
        if (message.Height == Height && message.View - View > _options.MaxFutureViews) return;
        _future.TryAdd(author, message, verified, _options.MaxBufferedPerWitness);
    }

    /// <summary>Messages buffered for the future (bounded).</summary>
    public int BufferedMessages => _future.Count;

    /// <summary>Replays what became current; runs at the end of a public call, never inside a height or view step.</summary>
    private void ReplayIfDue()
    {
        if (!_replayPending || _replaying) return;
        _replaying = true;
        try
        {
            while (_replayPending)
            {
                _replayPending = false;
                var due = _future.TakeDue(IsDue, IsStale);
                foreach (var entry in due) Dispatch(entry.Message, entry.Verified);
            }
        }
        finally
        {
            _replaying = false;
        }
    }

    /// <summary>
    /// Votes and proposals are due in their view; ViewChanges and NewViews as soon as their height is current, since
    /// they are what moves a node that is behind in view (join rule, NewView of a higher view).
    /// </summary>
    private bool IsDue(ConsensusMessage message) =>
        message.Height == Height && (message.View <= View || message is ViewChangeMessage or NewViewMessage);

    private bool IsStale(ConsensusMessage message) => message.Height < Height;
}
