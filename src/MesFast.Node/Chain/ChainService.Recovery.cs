using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

internal sealed partial class ChainService
{
    /// <summary>
    /// Brings the state to the block log's tip: a fresh node writes block 0; otherwise the shard stores were
    /// recovered to their newest common checkpoint and the blocks after it are replayed (decoded, verified,
    /// applied); every replayed block's stateRoot must equal its header's.
    /// </summary>
    private void Recover()
    {
        if (_blocks.IsEmpty)
        {
            if (Ledger.Height is not null) throw new InvalidDataException("the state has blocks but the block log is empty; the data folder is damaged");
            WriteGenesis();
            return;
        }
        ulong tip = _blocks.TipHeight;
        ulong from = Ledger.Height is { } h ? h + 1 : 0;
        if (Ledger.Height is { } stateHeight && stateHeight > tip)
            throw new InvalidDataException($"the state is at height {stateHeight} but the block log ends at {tip}; the data folder is damaged");
        LastCheckpointHeight = Ledger.Height;
        // The schedule belongs with the state: the one saved with this checkpoint, then moved on by the replay.
        if (Ledger.Height is { } checkpoint)
            _schedule = checkpoint == 0 ? WitnessSchedule.AtGenesis(Genesis.Witnesses, Genesis.Dpos, HashOfStoredBlock(0))
                : WitnessScheduleFile.Read(BlocksDir, checkpoint, Genesis.Witnesses, Genesis.Dpos);
        if (from <= tip) _log.WriteLine($"mesd: replaying blocks {from} … {tip} from the block log");
        byte[]? block = from <= tip ? _blocks.ReadBlock(from) : null;
        PendingVerification? pending = null;
        for (ulong height = from; height <= tip; height++)
        {
            if (block is null) throw new InvalidDataException($"block {height} is missing from the block log");
            if (!BlockView.TryDecode(block, out var view, out var failure))
                throw new InvalidDataException($"stored block {height} does not decode: {failure}");
            // The next block's signatures are checked on other cores while this one applies.
            byte[]? following = height < tip ? _blocks.ReadBlock(height + 1) : null;
            var current = pending;
            pending = following is not null && BlockView.TryDecode(following, out var next, out _) ? LedgerState.BeginVerification(next, null) : null;
            if (height == 0)
            {
                if (!Ledger.TryApplyBlock(view, default(Address), null, out _, out var genesisRejection, current))
                    throw new InvalidDataException($"stored block 0 is invalid on replay: {genesisRejection}");
            }
            else
            {
                // Certified blocks from our own log: the fields are checked (they prove the schedule was rebuilt
                // identically), the signatures are not re-verified.
                if (!CheckScheduleFields(view, verifySignatures: false, out string fieldError))
                    throw new InvalidDataException($"stored block {height} does not match the witness schedule: {fieldError}");
                if (!Ledger.TryApplyBlock(view, RewardsFor(view), null, out _, out var rejection, current))
                    throw new InvalidDataException($"stored block {height} is invalid on replay: {rejection}");
            }
            if (Ledger.StateRoot != view.Header.StateRoot)
                throw new InvalidDataException($"replay of block {height} gives state root {Ledger.StateRoot}, its header says {view.Header.StateRoot}");
            if (height == 0) _schedule = WitnessSchedule.AtGenesis(Genesis.Witnesses, Genesis.Dpos, view.ComputeHash());
            else AdvanceSchedule(view, view.ComputeHash());
            block = following;
        }
        // The tip's header and certificate seed the next proposal.
        byte[] tipBlock = _blocks.ReadBlock(tip)!;
        BlockView.TryDecode(tipBlock, out var tipView, out _);
        _tipHash = tipView.ComputeHash();
        _tipTimeMs = tipView.Header.TimeMs;
        _lastCommit = LastCommitOf(tip, _tipHash);
        Interlocked.Exchange(ref _tipHeight, (long)tip);
    }

    /// <summary>
    /// The certificate of the tip: stored with the block in its log entry (logs of earlier versions kept it in
    /// <c>blocks/tip-certificate.bin</c>). A one-witness chain without it re-signs its own commit.
    /// </summary>
    private CommitCertificate LastCommitOf(ulong height, in Hash32 blockHash)
    {
        if (height == 0) return GenesisCertificate(blockHash);
        if (_blocks.ReadCertificate(height) is { } encoded && CommitCertificate.TryDecode(encoded, out var stored, out _)
            && stored.Height == height && stored.Block == blockHash)
            return stored;
        if (TipCertificateFile.TryRead(BlocksDir, height, blockHash, out var legacy)) return legacy;
        if (_witnessSeed is null || _schedule.ForHeight(height) is not { Set.Count: 1 } || SelfIndexAt(height) != 0)
            throw new InvalidDataException($"{BlocksDir}: no certificate for the tip block {height}; resync this node from peers");
        var message = Core.Consensus.Vote.SigningHash(Core.Consensus.VotePhase.Commit, Genesis.ChainId, height, 0, blockHash);
        return new CommitCertificate { Height = height, View = 0, Block = blockHash, Signers = [true], Signatures = [Sign(message)] };
    }

    /// <summary>Block 0 is final by genesis, not by votes: its certificate has no signer.</summary>
    private CommitCertificate GenesisCertificate(in Hash32 hash) => new() { Height = 0, Block = hash, Signers = new bool[GenesisWitnesses.Count] };

    private Hash32 HashOfStoredBlock(ulong height)
    {
        byte[] block = _blocks.ReadBlock(height) ?? throw new InvalidDataException($"block {height} is missing from the block log");
        if (!BlockView.TryDecode(block, out var view, out var failure)) throw new InvalidDataException($"stored block {height} does not decode: {failure}");
        return view.ComputeHash();
    }

    private void WriteGenesis()
    {
        var outputs = new TxOutput[Genesis.Allocations.Length];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = new TxOutput(Hash32.Zero, Genesis.Allocations[i].Amount, Genesis.Allocations[i].Address);
        var tx = new Transaction { ChainId = Genesis.ChainId, Kind = TxKind.Transfer, Outputs = outputs };
        var lastCommit = new CommitCertificate { Height = 0, Signers = new bool[GenesisWitnesses.Count] };
        var header = new BlockHeader
        {
            ChainId = Genesis.ChainId,
            Height = 0,
            TimeMs = Genesis.TimeMs,
            TxRoot = MerkleTree.ComputeRoot([tx.ComputeTxId()]),
            WitnessSetHash = GenesisWitnesses.Hash,
            NextWitnessCount = (ushort)GenesisWitnesses.Count,
            LastCommitHash = CommitHash.Of(lastCommit),
        };
        byte[] draft = new Block { Header = header, Transactions = [tx], LastCommit = lastCommit }.ToBytes();
        BlockView.TryDecode(draft, out var view, out var failure);
        if (!Ledger.TryApplyBlock(view, default(Address), null, out var applied, out var rejection))
            throw new InvalidDataException($"the genesis block is invalid: {rejection} ({failure})");
        var block = new Block { Header = header with { StateRoot = Ledger.StateRoot }, Transactions = [tx], LastCommit = lastCommit };
        byte[] bytes = block.ToBytes();
        var hash = block.ComputeHash();
        var certificate = GenesisCertificate(hash);
        _blocks.Append(0, hash, bytes, certificate.ToBytes(), applied!.TxIds, applied.TxFees);
        _blocks.Commit();
        _schedule = WitnessSchedule.AtGenesis(Genesis.Witnesses, Genesis.Dpos, hash);
        WitnessScheduleFile.Write(BlocksDir, _schedule);
        Ledger.Checkpoint();
        _blocks.CheckpointIndex();
        LastCheckpointHeight = 0;
        _tipHash = hash;
        _tipTimeMs = Genesis.TimeMs;
        _lastCommit = certificate;
        Interlocked.Exchange(ref _tipHeight, 0);
        _log.WriteLine($"mesd: wrote genesis block {hash}");
    }
}
