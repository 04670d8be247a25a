using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Tests.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

/// <summary>Each staking rule's rejection with its exact code, in a block and (for a lone transaction) at mempool admission.</summary>
public sealed class StakingRulesTests
{
    [Fact]
    public void RegisterWitness_rejections()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        Assert.Equal(LedgerErrors.BondTooLow, s.Rejected(s.Register(s.Keys[0], node, StakingHarness.TestRules.MinBond - 1)));
        // The node key must sign (proof of possession).
        var payload = new RegisterWitnessPayload(StakingHarness.NodeKeyOf(node), 2_000_000, 0, "w", "", "h:1", []).Encode();
        Assert.Equal(LedgerErrors.MissingWitness, s.Rejected(s.Build(s.Keys[0], TxKind.RegisterWitness, payload, 2_000_000)));
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[0], TxKind.RegisterWitness, [1, 2, 3], 0)));
        var badShare = new RegisterWitnessPayload(StakingHarness.NodeKeyOf(node), 2_000_000, 10_001, "w", "", "h:1", []).Encode();
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[0], TxKind.RegisterWitness, badShare, 2_000_000, node)));
        // The bond is locked: inputs = outputs + bond + fee.
        Assert.Equal(LedgerErrors.ValueNotConserved, s.Rejected(s.Build(s.Keys[0], TxKind.RegisterWitness, payload, 0, node)));

        s.Apply(s.Register(s.Keys[0], node, 2_000_000));
        Assert.Equal(LedgerErrors.NotOwner, s.Rejected(s.Register(s.Keys[1], node, 2_000_000)));
    }

    [Fact]
    public void Stake_rejections()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        var stranger = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000));
        Assert.Equal(LedgerErrors.UnknownCandidate, s.Rejected(s.Stake(s.Keys[1], 10, node, stranger)));
        Assert.Equal(LedgerErrors.ZeroAmount, s.Rejected(s.Stake(s.Keys[1], 0, node)));
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[1], TxKind.Stake, new StakePayload(10, []).Encode(), 10)));
        var twice = new StakePayload(10, [StakingHarness.NodeKeyOf(node), StakingHarness.NodeKeyOf(node)]).Encode();
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[1], TxKind.Stake, twice, 10)));
        var tooMany = new StakePayload(10, Enumerable.Range(1, 31).Select(i => new Hash32(Enumerable.Repeat((byte)i, 32).ToArray())).ToArray()).Encode();
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[1], TxKind.Stake, tooMany, 10)));
        // The change output ignores the stake: outputs + locked + fee exceed the inputs.
        var unlocked = s.Build(s.Keys[1], TxKind.Stake, new StakePayload(1_000, [StakingHarness.NodeKeyOf(node)]).Encode(), locked: 0);
        Assert.Equal(LedgerErrors.ValueNotConserved, s.Rejected(unlocked));
        // With the stake accounted for, the same payload is accepted.
        s.Apply(s.Stake(s.Keys[1], 1_000, node));
    }

    [Fact]
    public void Unstake_and_claim_rejections()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        s.Apply(s.Register(s.Keys[0], node, 1_000_000));
        var stake = s.Stake(s.Keys[1], 10, node);
        s.Apply(stake);
        var position = stake.ComputeTxId();
        Assert.Equal(LedgerErrors.UnknownPosition, s.Rejected(s.Unstake(s.Keys[1], new Hash32(new byte[32]))));
        Assert.Equal(LedgerErrors.NotOwner, s.Rejected(s.Unstake(s.Keys[2], position)));
        Assert.Equal(LedgerErrors.NotOwner, s.Rejected(s.Claim(s.Keys[2], position)));
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[1], TxKind.Unstake, new byte[31])));
        Assert.Equal(LedgerErrors.BadPayload, s.Rejected(s.Build(s.Keys[1], TxKind.ClaimRewards, new byte[33])));
        Assert.Equal(LedgerErrors.NothingToClaim, s.Rejected(s.Claim(s.Keys[1], position)));
        s.Apply(s.Unstake(s.Keys[1], position));
        Assert.Equal(LedgerErrors.StillUnbonding, s.Rejected(s.Unstake(s.Keys[1], position)));
    }

    [Fact]
    public void Valid_staking_transactions_pass_the_mempool_check_with_the_fee_the_block_charges()
    {
        var s = new StakingHarness();
        var node = new TestKey();
        void Admit(Transaction tx)
        {
            Assert.True(MesFast.Core.Codec.TxView.TryDecode(tx.ToBytes(), out var view, out _));
            Assert.True(s.Ledger.TryCheck(view, s.NextHeight, out ulong fee, out var rejection), rejection.ToString());
            var result = s.Apply(tx);
            Assert.Equal(fee, result.Fees);
        }
        Admit(s.Register(s.Keys[0], node, 1_000_000));
        var stake = s.Stake(s.Keys[1], 500, node);
        Admit(stake);
        s.Apply(new MesFast.Core.Ledger.Staking.BlockRewardRecipients(s.Keys[0].Address, StakingHarness.NodeKeyOf(node), []));
        Admit(s.Claim(s.Keys[1], stake.ComputeTxId()));
        Admit(s.Unstake(s.Keys[1], stake.ComputeTxId()));
    }

    [Fact]
    public void Staking_kinds_are_enabled_and_other_reserved_kinds_are_not()
    {
        var s = new StakingHarness();
        Assert.Equal(LedgerErrors.KindNotEnabled, s.Rejected(s.Build(s.Keys[0], TxKind.Notarize, [])));
    }
}
