using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// View change (DESIGN §5): timeouts, ViewChange, the f+1 join rule, NewView and the prepared-block lock.
/// </summary>
public sealed partial class SpbftEngine
{
    /// <summary>ViewChanges of this height by target view, one slot per witness (verified).</summary>
    private readonly SortedDictionary<uint, ViewChangeMessage?[]> _viewChanges = [];
    /// <summary>The highest prepared certificate of this height and its block: the lock.</summary>
    private CommitCertificate? _lock;
    private byte[]? _lockBlock;
    private long _viewStartMs = -1;
    /// <summary>When (tick clock) the current view's proposal was accepted; diagnostics only.</summary>
    private long _proposalAtMs;
    private bool _newViewSent;

    /// <summary>True after this node left a view and before it accepted the NewView of <see cref="View"/>.</summary>
    public bool IsAwaitingNewView { get; private set; }

    /// <summary>This node's highest prepared certificate at the current height (null when not prepared).</summary>
    public CommitCertificate? PreparedCertificate => _lock;

    /// <summary>How long the current view lasts from its first tick.</summary>
    public long CurrentTimeoutMs => _options.TimeoutFor(View);

    private void ResetViewChange()
    {
        _viewChanges.Clear();
        _lock = null;
        _lockBlock = null;
        _viewStartMs = -1;
        _newViewSent = false;
        IsAwaitingNewView = false;
    }

    /// <summary>
    /// A view that has not finalised within its timeout is abandoned. One witness never times out (its view cannot
    /// fail for want of votes), and a node that is not a witness only follows NewViews.
    /// </summary>
    private void CheckTimeout(long nowMs)
    {
        if (_viewStartMs < 0 || nowMs - _viewStartMs < _options.TimeoutFor(View)) return;
        if (_host.SelfIndex(Height) < 0 || _host.WitnessCount(Height) <= 1) return;
        if (View == uint.MaxValue) return;
        _host.ViewTimedOut(new ViewTimeout(Height, View, nowMs - _viewStartMs, _proposal is null ? -1 : Math.Max(0, _proposalAtMs - _viewStartMs), _prepared,
            _votes.TryGetValue((View, VotePhase.Prepare), out var prepares) ? prepares.Voters() : [],
            _votes.TryGetValue((View, VotePhase.Commit), out var commits) ? commits.Voters() : []));
        StartViewChange(View + 1);
    }

    /// <summary>Stops voting in the current view, enters <paramref name="target"/> and sends a signed ViewChange for it.</summary>
    private void StartViewChange(uint target)
    {
        EnterView(target, awaitingNewView: true);
        int self = _host.SelfIndex(Height);
        if (self < 0) return;
        var signed = ViewChangeSigning.ViewChange(_host.ChainId, Height, target, _lock);
        var viewChange = new ViewChangeMessage(Height, target, self, _lock, _lockBlock, _host.Sign(signed));
        _host.Broadcast(viewChange);
        Store(viewChange);
        if (_host.Proposer(Height, target) == self) TrySendNewView();
    }

    private void EnterView(uint view, bool awaitingNewView)
    {
        View = view;
        IsAwaitingNewView = awaitingNewView;
        _viewStartMs = -1; // the new view's timer starts at the next tick
        _proposal = null;
        _prepared = false;
        _newViewSent = false;
        // ViewChanges for views below this one can no longer start anything.
        var stale = new List<uint>();
        foreach (var target in _viewChanges.Keys)
        {
            if (target >= view) break;
            stale.Add(target);
        }
        foreach (var target in stale) _viewChanges.Remove(target);
        _replayPending = true; // buffered votes and NewViews of this view are now due
    }

    private void OnViewChange(ViewChangeMessage viewChange, bool verified)
    {
        if (!IsWithinWitnessSet(viewChange.Height, viewChange.Witness) || viewChange.NewView == 0) return;
        if (viewChange.Height > Height)
        {
            if (verified || VerifyViewChangeSignature(viewChange)) Buffer(viewChange.Witness, viewChange, verified: false);
            return;
        }
        if (viewChange.NewView < View || viewChange.NewView - View > _options.MaxFutureViews) return;
        if (_viewChanges.TryGetValue(viewChange.NewView, out var slots) && slots[viewChange.Witness] is not null) return;
        if (!IsValidViewChange(viewChange, requireBlock: true)) return;
        Store(viewChange);
        ApplyJoinRule();
        if (viewChange.NewView == View && IsAwaitingNewView && _host.Proposer(Height, View) == _host.SelfIndex(Height)) TrySendNewView();
    }

    private void Store(ViewChangeMessage viewChange)
    {
        if (!_viewChanges.TryGetValue(viewChange.NewView, out var slots))
            _viewChanges[viewChange.NewView] = slots = new ViewChangeMessage?[_host.WitnessCount(Height)];
        slots[viewChange.Witness] = viewChange;
        // A prepared block carried by a valid ViewChange is certified by 2f+1 Prepares: a commit certificate may finalise it.
        if (viewChange.Prepared is not null && viewChange.PreparedBlock is not null)
            _knownBlocks.TryAdd(viewChange.Prepared.Block, viewChange.PreparedBlock);
    }

    /// <summary>
    /// PBFT liveness: ViewChanges from f+1 witnesses (one honest at least) for views above ours mean this view is
    /// failing elsewhere too: join the smallest of those views rather than wait for our own timeout.
    /// </summary>
    private void ApplyJoinRule()
    {
        if (_host.SelfIndex(Height) < 0) return;
        int n = _host.WitnessCount(Height);
        var counted = new bool[n];
        int witnesses = 0;
        uint smallest = 0;
        foreach (var (target, slots) in _viewChanges)
        {
            if (target <= View) continue;
            for (int w = 0; w < slots.Length; w++)
            {
                if (slots[w] is null || counted[w]) continue;
                counted[w] = true;
                witnesses++;
                if (smallest == 0) smallest = target;
            }
        }
        if (witnesses >= OneHonest(n)) StartViewChange(smallest);
    }

    /// <summary>
    /// The proposer of the view, holding 2f+1 ViewChanges for it, starts it: re-proposes the block of the highest
    /// prepared certificate among them, or builds a fresh one (retried on later ticks while the host has none).
    /// </summary>
    private void TrySendNewView()
    {
        if (_newViewSent || !IsAwaitingNewView || !_viewChanges.TryGetValue(View, out var slots)) return;
        int n = _host.WitnessCount(Height);
        int self = _host.SelfIndex(Height);
        int count = 0;
        ViewChangeMessage? highest = null;
        foreach (var viewChange in slots)
        {
            if (viewChange is null) continue;
            count++;
            if (viewChange.Prepared is not null && (highest is null || viewChange.Prepared.View > highest.Prepared!.View)) highest = viewChange;
        }
        if (count < Quorum(n)) return;

        byte[]? block;
        if (highest is not null)
        {
            block = highest.PreparedBlock;
        }
        else
        {
            if (_hasExecuted)
            {
                _host.AbandonProposal(Height, _executed);
                _hasExecuted = false;
            }
            block = _host.BuildProposal(Height, View, _lastNowMs);
            if (block is null || !IsWellSized(block)) return;
            _hasExecuted = true;
            _executed = BlockHashOf(block);
        }
        if (block is null) return;

        // All ViewChanges held (not just 2f+1) go in, so a locked witness's certificate is not left out; blocks are dropped inside.
        var included = new ViewChangeMessage[count];
        int at = 0;
        foreach (var viewChange in slots)
            if (viewChange is not null) included[at++] = viewChange with { PreparedBlock = null };
        var hash = BlockHashOf(block);
        var signed = ViewChangeSigning.NewView(_host.ChainId, Height, View, self, hash, included);
        var newView = new NewViewMessage(Height, View, self, included, block, _host.Sign(signed));
        _newViewSent = true;
        _host.Broadcast(newView);
        StartNewView(newView, hash, highest?.Prepared?.View);
    }

    private void OnNewView(NewViewMessage newView, bool verified)
    {
        if (newView.Block is null || newView.ViewChanges is null) return;
        if (newView.View == 0 || !IsWithinWitnessSet(newView.Height, newView.Proposer)) return;
        if (newView.Height > Height)
        {
            if (verified || VerifyNewViewSignature(newView)) Buffer(newView.Proposer, newView, verified: false);
            return;
        }
        if (newView.View < View || (newView.View == View && !IsAwaitingNewView)) return;
        if (newView.View - View > _options.MaxFutureViews) return;
        if (!IsValidNewView(newView, out var hash, out var highestPreparedView)) return;
        // A valid NewView proves 2f+1 witnesses left the views below it: a node behind in view follows directly.
        if (newView.View > View) EnterView(newView.View, awaitingNewView: true);
        StartNewView(newView, hash, highestPreparedView);
    }

    /// <summary>Enters the NewView's view and treats its block like a PrePrepare.</summary>
    private void StartNewView(NewViewMessage newView, in Hash32 hash, uint? highestPreparedView)
    {
        IsAwaitingNewView = false;
        bool overridesLock = _lock is not null && highestPreparedView is { } prepared && prepared > _lock.View;
        AcceptProposal(newView.Block, hash, overridesLock);
    }
}
