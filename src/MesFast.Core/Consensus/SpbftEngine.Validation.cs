using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>Checks of ViewChange and NewView messages: signatures, prepared certificates, the re-proposal rule.</summary>
public sealed partial class SpbftEngine
{
    private bool VerifyViewChangeSignature(ViewChangeMessage viewChange)
    {
        var signed = ViewChangeSigning.ViewChange(_host.ChainId, viewChange.Height, viewChange.NewView, viewChange.Prepared);
        return _host.VerifyVote(viewChange.Height, viewChange.Witness, signed, viewChange.Signature);
    }

    private bool VerifyNewViewSignature(NewViewMessage newView)
    {
        if (!IsWellSized(newView.Block) || newView.ViewChanges.Length > ProtocolLimits.MaxWitnessCount) return false;
        foreach (var viewChange in newView.ViewChanges)
            if (viewChange is null) return false;
        var signed = ViewChangeSigning.NewView(_host.ChainId, newView.Height, newView.View, newView.Proposer, BlockHashOf(newView.Block), newView.ViewChanges);
        return _host.VerifyVote(newView.Height, newView.Proposer, signed, newView.Signature);
    }

    /// <summary>
    /// A ViewChange of this height: signed by its witness, and any prepared certificate is of this height, of an
    /// earlier view, and carries 2f+1 valid Prepare signatures. Standalone ViewChanges must carry the prepared block.
    /// </summary>
    private bool IsValidViewChange(ViewChangeMessage viewChange, bool requireBlock)
    {
        if (viewChange.Height != Height || viewChange.NewView == 0 || !IsWithinWitnessSet(Height, viewChange.Witness)) return false;
        var prepared = viewChange.Prepared;
        if (prepared is null)
        {
            if (viewChange.PreparedBlock is not null) return false;
        }
        else
        {
            if (prepared.Height != Height || prepared.View >= viewChange.NewView) return false;
            if (viewChange.PreparedBlock is not null)
            {
                if (!IsWellSized(viewChange.PreparedBlock) || BlockHashOf(viewChange.PreparedBlock) != prepared.Block) return false;
            }
            else if (requireBlock)
            {
                return false;
            }
        }
        if (!VerifyViewChangeSignature(viewChange)) return false;
        return prepared is null || IsValidPreparedCertificate(prepared);
    }

    /// <summary>2f+1 distinct witnesses' valid Prepare signatures for (Height, cert view, cert block).</summary>
    private bool IsValidPreparedCertificate(CommitCertificate prepared)
    {
        int n = _host.WitnessCount(Height);
        if (prepared.Signers is null || prepared.Signatures is null || prepared.Signers.Length != n) return false;
        int signers = 0;
        foreach (bool signer in prepared.Signers)
            if (signer) signers++;
        if (signers != prepared.Signatures.Length || signers < Quorum(n)) return false;
        var signed = Vote.SigningHash(VotePhase.Prepare, _host.ChainId, Height, prepared.View, prepared.Block);
        int k = 0;
        for (int w = 0; w < n; w++)
        {
            if (!prepared.Signers[w]) continue;
            if (!_host.VerifyVote(Height, w, signed, prepared.Signatures[k++])) return false;
        }
        return true;
    }

    /// <summary>
    /// A NewView of this height: from the view's proposer, signed, with ViewChanges for exactly its view from 2f+1
    /// distinct witnesses, each valid; its block is the block of the highest prepared certificate among them, or a
    /// fresh block proposed in this view when there is none.
    /// </summary>
    private bool IsValidNewView(NewViewMessage newView, out Hash32 hash, out uint? highestPreparedView)
    {
        hash = default;
        highestPreparedView = null;
        int n = _host.WitnessCount(Height);
        if (newView.Height != Height || newView.View == 0 || newView.Proposer != _host.Proposer(Height, newView.View)) return false;
        if (!IsWellSized(newView.Block) || newView.ViewChanges.Length < Quorum(n) || newView.ViewChanges.Length > n) return false;
        if (!VerifyNewViewSignature(newView)) return false;
        hash = BlockHashOf(newView.Block);
        var seen = new bool[n];
        bool blockMatchesHighest = false;
        foreach (var viewChange in newView.ViewChanges)
        {
            if (viewChange.Height != Height || viewChange.NewView != newView.View || !IsWithinWitnessSet(Height, viewChange.Witness)) return false;
            if (seen[viewChange.Witness]) return false;
            seen[viewChange.Witness] = true;
            if (!IsKnownViewChange(viewChange) && !IsValidViewChange(viewChange, requireBlock: false)) return false;
            if (viewChange.Prepared is not { } prepared) continue;
            if (highestPreparedView is null || prepared.View > highestPreparedView)
            {
                highestPreparedView = prepared.View;
                blockMatchesHighest = prepared.Block == hash;
            }
            else if (prepared.View == highestPreparedView && prepared.Block == hash)
            {
                blockMatchesHighest = true;
            }
        }
        // Re-proposal rule: a prepared block may have been committed somewhere; only it may be proposed.
        if (highestPreparedView is not null) return blockMatchesHighest;
        return ProposedViewOf(newView.Block) == newView.View;
    }

    /// <summary>The same signed ViewChange was already verified and stored here: skip its signature checks.</summary>
    private bool IsKnownViewChange(ViewChangeMessage viewChange)
    {
        if (!_viewChanges.TryGetValue(viewChange.NewView, out var slots)) return false;
        var stored = slots[viewChange.Witness];
        if (stored is null || stored.Signature != viewChange.Signature) return false;
        if (stored.Prepared is null || viewChange.Prepared is null) return stored.Prepared is null && viewChange.Prepared is null;
        return stored.Prepared.View == viewChange.Prepared.View && stored.Prepared.Block == viewChange.Prepared.Block;
    }
}
