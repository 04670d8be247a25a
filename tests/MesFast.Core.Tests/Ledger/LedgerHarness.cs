using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Core.Tests.Ledger;

/// <summary>A signing key for tests.</summary>
internal sealed class TestKey
{
    public TestKey()
    {
        CryptoEd25519.GenerateKey(Seed, PublicKey);
        Address = Address.FromPublicKey(PublicKey);
    }

    public byte[] Seed { get; } = new byte[32];

    public byte[] PublicKey { get; } = new byte[32];

    public Address Address { get; }

    public TxWitness Sign(in Hash32 txid)
    {
        var signature = new byte[64];
        CryptoEd25519.Sign(Seed, txid.Span, signature);
        return new TxWitness(new PublicKey32(PublicKey), new Signature64(signature));
    }
}

/// <summary>A ledger over in-memory shard stores, with helpers to build genesis and signed transactions.</summary>
internal sealed class LedgerHarness
{
    public const uint ChainId = 77;

    public LedgerHarness(int shards = 4, ulong minFeePerByte = 1, ulong subsidy = 1000, Hash32? seed = null, MesFast.Core.Dpos.DposParams? dpos = null)
    {
        Stores = new MemoryShardStore[shards];
        for (int s = 0; s < shards; s++) Stores[s] = new MemoryShardStore(s);
        Rules = new LedgerParams(ChainId, seed ?? new Hash32(Enumerable.Repeat((byte)7, 32).ToArray()), shards, minFeePerByte, subsidy)
        {
            Dpos = dpos ?? MesFast.Core.Dpos.DposParams.Default,
        };
        Ledger = LedgerState.Open(Stores, Rules);
    }

    public MemoryShardStore[] Stores { get; }

    public LedgerParams Rules { get; }

    public LedgerState Ledger { get; private set; }

    public TestKey Producer { get; init; } = new();

    public LedgerState Reopen() => Ledger = LedgerState.Open(Stores, Rules);

    /// <summary>Applies block 0 funding each key with <paramref name="amount"/>; returns the genesis txid.</summary>
    public Hash32 ApplyGenesis(ulong amount, params TestKey[] keys)
    {
        var outputs = new TxOutput[keys.Length];
        for (int i = 0; i < keys.Length; i++) outputs[i] = new TxOutput(Hash32.Zero, amount, keys[i].Address);
        var genesis = new Transaction { ChainId = ChainId, Kind = TxKind.Transfer, Outputs = outputs };
        AssertApplies(MakeBlock(0, genesis));
        return genesis.ComputeTxId();
    }

    public static Transaction Sign(Transaction unsigned, params TestKey[] signers)
    {
        var txid = unsigned.ComputeTxId();
        var witnesses = new TxWitness[signers.Length];
        for (int i = 0; i < signers.Length; i++) witnesses[i] = signers[i].Sign(txid);
        return unsigned.WithWitnesses(witnesses);
    }

    /// <summary>A signed Transfer of MES from one owner's outputs, change back to it, paying the minimum fee plus <paramref name="extraFee"/>.</summary>
    public Transaction Transfer(TestKey from, TxInput[] inputs, ulong inputTotal, Address to, ulong amount, ulong extraFee = 0, ulong validUntil = 1000)
    {
        // Size is fixed by the shape, so one unsigned pass fixes the fee.
        Transaction Build(ulong fee) => new()
        {
            ChainId = ChainId,
            Kind = TxKind.Transfer,
            ValidUntil = validUntil,
            Inputs = inputs,
            Outputs = inputTotal - amount - fee > 0
                ? [new TxOutput(Hash32.Zero, amount, to), new TxOutput(Hash32.Zero, inputTotal - amount - fee, from.Address)]
                : [new TxOutput(Hash32.Zero, amount, to)],
            Witnesses = [from.Sign(Hash32.Zero)],
        };
        ulong fee = (ulong)Build(0).EncodedLength * Rules.MinFeePerByte + extraFee;
        var tx = Build(fee);
        return Sign(tx.WithWitnesses([]), from);
    }

    public static byte[] MakeBlock(ulong height, params Transaction[] txs) => new Block
    {
        Header = new BlockHeader { ChainId = ChainId, Height = height, TimeMs = 1000 + height },
        Transactions = txs,
        LastCommit = new CommitCertificate { Height = height == 0 ? 0 : height - 1 },
    }.ToBytes();

    public BlockApplyResult AssertApplies(byte[] block, ISignatureCache? cache = null, MesFast.Core.Ledger.Staking.BlockRewardRecipients? rewards = null)
    {
        Assert.True(BlockView.TryDecode(block, out var view, out var failure), failure.ToString());
        bool ok = Ledger.TryApplyBlock(view, rewards ?? MesFast.Core.Ledger.Staking.BlockRewardRecipients.ProposerOnly(Producer.Address), cache,
            out var result, out var rejection);
        Assert.True(ok, rejection.ToString());
        return result!;
    }

    public BlockRejection AssertRejected(byte[] block)
    {
        Assert.True(BlockView.TryDecode(block, out var view, out var failure), failure.ToString());
        var before = Ledger.StateRoot;
        var height = Ledger.Height;
        bool ok = Ledger.TryApplyBlock(view, Producer.Address, null, out _, out var rejection);
        Assert.False(ok, "block should be rejected");
        Assert.Equal(before, Ledger.StateRoot);
        Assert.Equal(height, Ledger.Height);
        return rejection;
    }
}
