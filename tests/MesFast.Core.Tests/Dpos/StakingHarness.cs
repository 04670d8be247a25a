using MesFast.Core.Codec;
using MesFast.Core.Dpos;
using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Tests.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

/// <summary>
/// A ledger with funded keys and builders for staking transactions. Each key spends one MES coin per transaction
/// (its change output becomes its next coin once the block applies).
/// </summary>
internal sealed class StakingHarness
{
    public const ulong Funding = 1_000_000_000_000;

    public static readonly DposParams TestRules = new() { MinBond = 1_000_000, UnbondingBlocks = 5, LastCommitShareBps = 1_000 };

    private readonly Dictionary<Address, (TxInput Coin, ulong Amount)> _coins = [];
    private readonly Dictionary<Hash32, (Address Owner, ulong Change)> _built = [];

    public StakingHarness(int keys = 4, DposParams? rules = null, ulong subsidy = 1000, int shards = 4)
    {
        H = new LedgerHarness(shards: shards, subsidy: subsidy, dpos: rules ?? TestRules);
        Keys = new TestKey[keys];
        for (int i = 0; i < keys; i++) Keys[i] = new TestKey();
        var genesis = H.ApplyGenesis(Funding, Keys);
        for (int i = 0; i < keys; i++) _coins[Keys[i].Address] = (new TxInput(genesis, (ushort)i), Funding);
    }

    public LedgerHarness H { get; }

    public LedgerState Ledger => H.Ledger;

    public TestKey[] Keys { get; }

    public ulong NextHeight => Ledger.Height!.Value + 1;

    public static Hash32 NodeKeyOf(TestKey key) => new(key.PublicKey);

    /// <summary>A signed transaction of <paramref name="kind"/> spending the owner's coin, change back to it after locking <paramref name="locked"/> and paying the minimum fee.</summary>
    public Transaction Build(TestKey owner, TxKind kind, byte[] payload, ulong locked = 0, TestKey? nodeKey = null, ulong extraFee = 0)
    {
        var (coin, amount) = _coins[owner.Address];
        TestKey[] signers = nodeKey is null || nodeKey == owner ? [owner] : [owner, nodeKey];
        Transaction Make(ulong fee) => new()
        {
            ChainId = LedgerHarness.ChainId,
            Kind = kind,
            ValidUntil = 10_000,
            Inputs = [coin],
            Outputs = [new TxOutput(Hash32.Zero, amount - locked - fee, owner.Address)],
            Payload = payload,
        };
        var draft = LedgerHarness.Sign(Make(0), signers);
        ulong fee = (ulong)draft.EncodedLength * H.Rules.MinFeePerByte + extraFee;
        var tx = LedgerHarness.Sign(Make(fee), signers);
        _built[tx.ComputeTxId()] = (owner.Address, amount - locked - fee);
        return tx;
    }

    public Transaction Register(TestKey owner, TestKey nodeKey, ulong bond, ushort voterShareBps = 5_000, string name = "Studio Witness") =>
        Build(owner, TxKind.RegisterWitness,
            new RegisterWitnessPayload(NodeKeyOf(nodeKey), bond, voterShareBps, name, "https://witness.example/", "node.example:7000", [1, 2, 3]).Encode(),
            bond, nodeKey);

    public Transaction Stake(TestKey owner, ulong amount, params TestKey[] candidates)
    {
        var keys = candidates.Select(NodeKeyOf).OrderBy(k => k.ToString(), StringComparer.Ordinal).ToArray();
        return Build(owner, TxKind.Stake, new StakePayload(amount, keys).Encode(), amount);
    }

    public Transaction Unstake(TestKey owner, in Hash32 position) => Build(owner, TxKind.Unstake, PositionPayload.Encode(position));

    public Transaction Claim(TestKey owner, in Hash32 position) => Build(owner, TxKind.ClaimRewards, PositionPayload.Encode(position));

    /// <summary>Applies the next block; the builders' change outputs become the owners' coins.</summary>
    public BlockApplyResult Apply(BlockRewardRecipients? rewards, params Transaction[] txs)
    {
        var result = H.AssertApplies(LedgerHarness.MakeBlock(NextHeight, txs), rewards: rewards);
        foreach (var tx in txs)
        {
            var txid = tx.ComputeTxId();
            if (_built.Remove(txid, out var built)) _coins[built.Owner] = (new TxInput(txid, 0), built.Change);
        }
        return result;
    }

    public BlockApplyResult Apply(params Transaction[] txs) => Apply(null, txs);

    /// <summary>Makes the owner's next transaction spend <paramref name="tx"/>'s change (both in one block).</summary>
    public void ChainOn(Transaction tx)
    {
        var txid = tx.ComputeTxId();
        var built = _built[txid];
        _coins[built.Owner] = (new TxInput(txid, 0), built.Change);
    }

    /// <summary>The rejection code of a block holding <paramref name="txs"/>, checking that the mempool check agrees for a lone transaction.</summary>
    public string Rejected(params Transaction[] txs)
    {
        var rejection = H.AssertRejected(LedgerHarness.MakeBlock(NextHeight, txs));
        if (txs.Length == 1)
        {
            var bytes = txs[0].ToBytes();
            Assert.True(TxView.TryDecode(bytes, out var view, out _));
            Assert.False(Ledger.TryCheck(view, NextHeight, out _, out var mempool));
            Assert.Equal(rejection.Code, mempool.Code);
        }
        return rejection.Code;
    }

    /// <summary>Recomputes every shard's root from the records in its store (independent of the running LtHashes).</summary>
    public void AssertRootsMatchStores()
    {
        for (int s = 0; s < H.Stores.Length; s++)
        {
            var lt = new LtHash();
            H.Stores[s].ForEach((key, value) =>
            {
                if (key[0] == RecordKeys.MetaType) return;
                lt.Add([.. key, .. value]);
            });
            Assert.Equal(lt.Digest(), Ledger.ShardRoot(s));
        }
    }
}
