using MesFast.Core.Consensus;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Consensus.Simulation;

/// <summary>
/// A simulated node's chain: its persisted final blocks with certificates, a "state" that is a running hash of the
/// final blocks (so equal heights must have equal state), and at most one executed, not yet final proposal, like
/// the real ChainService. Host contract violations by the engine are reported to the simulation.
/// </summary>
internal sealed class SimHost : IConsensusHost
{
    private const long BlockIntervalMs = 30;

    private readonly Simulation _sim;
    private readonly List<FinalBlock> _chain;
    private bool _hasPending;
    private Hash32 _pending;

    public SimHost(Simulation sim, int self, List<FinalBlock> persisted)
    {
        _sim = sim;
        Self = self;
        _chain = persisted;
    }

    public int Self { get; }

    /// <summary>The persisted chain: survives a crash (index i holds height i + 1).</summary>
    public List<FinalBlock> Chain => _chain;

    public ulong TipHeight => (ulong)_chain.Count;

    public Hash32 TipHash => _chain.Count == 0 ? Hash32.Zero : _chain[^1].Hash;

    public Hash32 State => _chain.Count == 0 ? Hash32.Zero : _chain[^1].State;

    public uint ChainId => 7;

    public int WitnessCount(ulong height) => _sim.N;

    public int SelfIndex(ulong height) => Self;

    public int Proposer(ulong height, uint view) => (int)((height + view) % (ulong)_sim.N);

    public byte[]? BuildProposal(ulong height, uint view, long nowMs)
    {
        if (_chain.Count > 0 && nowMs < _chain[^1].FinalAtMs + BlockIntervalMs) return null;
        if (_hasPending) _sim.Violation($"node {Self}: BuildProposal at {height} while {_pending} is still executed");
        if (height != TipHeight + 1) _sim.Violation($"node {Self}: BuildProposal for {height} at tip {TipHeight}");
        bool invalid = _sim.KindOf(Self) == ByzantineKind.InvalidBlock;
        var block = SimBlock.Make(height, view, Self, TipHash, (byte)_sim.Random.Next(256), invalid);
        _hasPending = true;
        _pending = SimBlock.HashOf(block);
        return block;
    }

    public bool ExecuteProposal(ulong height, uint view, byte[] block, out Hash32 blockHash)
    {
        blockHash = block.Length >= Codec.HeaderView.EncodedSize ? SimBlock.HashOf(block) : default;
        if (block.Length != Codec.HeaderView.EncodedSize || SimBlock.Height(block) != height || SimBlock.View(block) != view
            || SimBlock.Proposer(block) != Proposer(height, view) || SimBlock.Prev(block) != TipHash || SimBlock.IsMarkedInvalid(block))
            return false;
        if (_hasPending) _sim.Violation($"node {Self}: executed {blockHash} at {height} while {_pending} is still executed");
        _hasPending = true;
        _pending = blockHash;
        return true;
    }

    public void AbandonProposal(ulong height, in Hash32 blockHash)
    {
        if (_hasPending && _pending == blockHash) _hasPending = false;
    }

    public Signature64 Sign(in Hash32 message) => _sim.Signer.Sign(Self, message);

    public bool VerifyVote(ulong height, int witness, in Hash32 message, in Signature64 signature) => _sim.Signer.Verify(witness, message, signature);

    public void Broadcast(ConsensusMessage message) => _sim.Send(Self, message);

    public void Finalized(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate)
    {
        if (height != TipHeight + 1) _sim.Violation($"node {Self}: finalised {height} at tip {TipHeight}");
        if (!_hasPending || _pending != blockHash) _sim.Violation($"node {Self}: finalised {blockHash} at {height} without executing it");
        if (!IsValidCertificate(height, block, certificate)) _sim.Violation($"node {Self}: finalised {height} with a bad certificate");
        _hasPending = false;
        Append(block, blockHash, certificate);
    }

    /// <summary>Catch-up: applies peer blocks that extend the tip and carry a valid commit certificate; returns how many.</summary>
    public int ApplyCertified(IReadOnlyList<FinalBlock> blocks)
    {
        int applied = 0;
        foreach (var final in blocks)
        {
            if (SimBlock.Height(final.Block) != TipHeight + 1) continue;
            var hash = SimBlock.HashOf(final.Block);
            if (SimBlock.Prev(final.Block) != TipHash || SimBlock.IsMarkedInvalid(final.Block)) break;
            if (!IsValidCertificate(TipHeight + 1, final.Block, final.Certificate)) break;
            _hasPending = false; // the executed proposal of the old height is reverted (the engine is told by OnCaughtUp)
            Append(final.Block, hash, final.Certificate);
            applied++;
        }
        return applied;
    }

    private void Append(byte[] block, in Hash32 hash, CommitCertificate certificate)
    {
        Span<byte> preimage = stackalloc byte[64];
        State.CopyTo(preimage);
        hash.CopyTo(preimage[32..]);
        var state = Blake3.Hash(preimage);
        _chain.Add(new FinalBlock(block, hash, certificate, state, _sim.Now));
        _sim.RecordFinal(Self, TipHeight, hash, state, certificate.View);
    }

    /// <summary>2f+1 distinct witnesses' valid Commit signatures for this block at this height.</summary>
    private bool IsValidCertificate(ulong height, byte[] block, CommitCertificate certificate)
    {
        int n = _sim.N;
        if (certificate.Height != height || certificate.Block != SimBlock.HashOf(block) || certificate.Signers.Length != n) return false;
        int signers = 0;
        foreach (bool s in certificate.Signers)
            if (s) signers++;
        if (signers != certificate.Signatures.Length || signers < SpbftEngine.Quorum(n)) return false;
        var message = Vote.SigningHash(VotePhase.Commit, ChainId, height, certificate.View, certificate.Block);
        int k = 0;
        for (int w = 0; w < n; w++)
            if (certificate.Signers[w] && !_sim.Signer.Verify(w, message, certificate.Signatures[k++])) return false;
        return true;
    }
}

internal sealed record FinalBlock(byte[] Block, Hash32 Hash, CommitCertificate Certificate, Hash32 State, long FinalAtMs);
