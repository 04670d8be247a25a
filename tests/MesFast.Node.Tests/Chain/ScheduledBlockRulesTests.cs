using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Dpos;
using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Node.Chain;
using MesFast.Node.Config;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Node.Tests.Chain;

/// <summary>Header fields and lastCommit checked against the schedule; rewards to the proposer and the lastCommit signers.</summary>
public sealed class ScheduledBlockRulesTests
{
    private const uint ChainId = 77;
    private static readonly Hash32 Block1 = DomainHash.Compute(WitnessSet.HashDomain, [1]);

    private readonly byte[][] _seeds = new byte[4][];
    private readonly GenesisWitness[] _genesis = new GenesisWitness[4];
    private readonly WitnessSchedule _schedule;

    public ScheduledBlockRulesTests()
    {
        Span<byte> publicKey = stackalloc byte[32];
        for (int i = 0; i < 4; i++)
        {
            _seeds[i] = new byte[32];
            CryptoEd25519.GenerateKey(_seeds[i], publicKey);
            var reward = FakeCandidates.AddressOf(FakeCandidates.Key((byte)(0x10 + i)));
            _genesis[i] = new GenesisWitness(new Hash32(publicKey), reward);
        }
        _schedule = WitnessSchedule.AtGenesis(_genesis, DposParams.Default, DomainHash.Compute(WitnessSet.HashDomain, [0]));
        _schedule.AfterBlock(1, 0, 0, Block1, new FakeCandidates());
    }

    private CommitCertificate CertificateOf1(params int[] signers)
    {
        var message = Vote.SigningHash(VotePhase.Commit, ChainId, 1, 0, Block1);
        var flags = new bool[4];
        var signatures = new List<Signature64>();
        foreach (int i in signers.Order())
        {
            flags[i] = true;
            var signature = new byte[64];
            CryptoEd25519.Sign(_seeds[i], message.Span, signature);
            signatures.Add(new Signature64(signature));
        }
        return new CommitCertificate { Height = 1, View = 0, Block = Block1, Signers = flags, Signatures = [.. signatures] };
    }

    private byte[] Block2(CommitCertificate lastCommit, Func<BlockHeader, BlockHeader>? change = null)
    {
        var round = _schedule.Current;
        var header = new BlockHeader
        {
            ChainId = ChainId,
            Height = 2,
            TimeMs = 2,
            Epoch = round.Epoch,
            Prev = Block1,
            WitnessSetHash = round.Set.Hash,
            Proposer = (ushort)round.Proposer(2, 0),
            NextWitnessCount = 4,
            LastCommitHash = CommitHash.Of(lastCommit),
        };
        return new Block { Header = change?.Invoke(header) ?? header, LastCommit = lastCommit }.ToBytes();
    }

    private bool Check(byte[] block, out string error)
    {
        Assert.True(BlockView.TryDecode(block, out var view, out _));
        return ScheduledBlockRules.Check(_schedule, ChainId, view, verifySignatures: true, out error);
    }

    [Fact]
    public void A_block_matching_the_schedule_pays_its_proposer_and_each_lastCommit_signer()
    {
        byte[] block = Block2(CertificateOf1(0, 2, 3));
        Assert.True(Check(block, out string error), error);
        Assert.True(BlockView.TryDecode(block, out var view, out _));
        var rewards = ScheduledBlockRules.RewardsFor(_schedule, view);
        int proposer = _schedule.Current.Proposer(2, 0);
        Assert.Equal(_genesis[proposer].RewardAddress, rewards.Proposer);
        Assert.Equal(_genesis[proposer].PublicKey, rewards.ProposerNodeKey);
        Assert.Equal(new[] { _genesis[0].RewardAddress, _genesis[2].RewardAddress, _genesis[3].RewardAddress }, rewards.LastCommitSigners);
    }

    [Fact]
    public void Header_fields_that_differ_from_the_schedule_are_rejected()
    {
        var lastCommit = CertificateOf1(0, 1, 2);
        int proposer = _schedule.Current.Proposer(2, 0);
        Assert.False(Check(Block2(lastCommit, h => h with { Proposer = (ushort)((proposer + 1) % 4) }), out string e1));
        Assert.Contains("proposer", e1, StringComparison.Ordinal);
        Assert.False(Check(Block2(lastCommit, h => h with { Epoch = 1 }), out string e2));
        Assert.Contains("epoch", e2, StringComparison.Ordinal);
        Assert.False(Check(Block2(lastCommit, h => h with { WitnessSetHash = Block1 }), out string e3));
        Assert.Contains("witness set", e3, StringComparison.Ordinal);
        Assert.False(Check(Block2(lastCommit, h => h with { NextWitnessCount = 7 }), out string e4));
        Assert.Contains("nextWitnessCount", e4, StringComparison.Ordinal);
        Assert.False(Check(Block2(lastCommit, h => h with { Height = 3 }), out _));
    }

    [Fact]
    public void A_lastCommit_below_quorum_with_a_bad_signature_or_for_another_block_is_rejected()
    {
        Assert.False(Check(Block2(CertificateOf1(0, 1)), out string below));
        Assert.Contains("quorum", below, StringComparison.Ordinal);
        var good = CertificateOf1(0, 1, 3);
        var forged = new CommitCertificate { Height = 1, Block = Block1, Signers = good.Signers, Signatures = [good.Signatures[0], good.Signatures[0], good.Signatures[2]] };
        Assert.False(Check(Block2(forged), out string bad));
        Assert.Contains("signature", bad, StringComparison.Ordinal);
        var other = new CommitCertificate { Height = 1, Block = Hash32.Zero, Signers = good.Signers, Signatures = good.Signatures };
        Assert.False(Check(Block2(other), out _));
        var wrongWidth = new CommitCertificate { Height = 1, Block = Block1, Signers = new bool[7] };
        Assert.False(Check(Block2(wrongWidth), out _));
    }
}
