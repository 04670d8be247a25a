using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Ledger;

public sealed class LedgerStateTests
{
    private const ulong Funding = 1_000_000_000;

    /// <summary>Recomputes every shard's root from the records in its store, independently of the ledger's running LtHashes.</summary>
    private static void AssertRootsMatchStores(LedgerHarness h)
    {
        for (int s = 0; s < h.Stores.Length; s++)
        {
            var lt = new LtHash();
            h.Stores[s].ForEach((key, value) =>
            {
                if (key[0] == RecordKeys.MetaType) return;
                lt.Add([.. key, .. value]);
            });
            Assert.Equal(lt.Digest(), h.Ledger.ShardRoot(s));
        }
    }

    [Fact]
    public void Genesis_then_transfer_moves_value_pays_the_producer_and_keeps_roots_consistent()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        Assert.Equal(0UL, h.Ledger.Height);
        Assert.Equal(Funding, h.Ledger.GetBalance(alice.Address, Hash32.Zero));

        var tx = h.Transfer(alice, [new TxInput(genesis, 0)], Funding, bob.Address, 250_000, extraFee: 5);
        var result = h.AssertApplies(LedgerHarness.MakeBlock(1, tx));
        ulong fee = (ulong)tx.EncodedLength + 5;
        Assert.Equal(fee, result.Fees);
        Assert.Equal(250_000UL, h.Ledger.GetBalance(bob.Address, Hash32.Zero));
        Assert.Equal(Funding - 250_000 - fee, h.Ledger.GetBalance(alice.Address, Hash32.Zero));
        Assert.Equal(fee + h.Rules.BlockSubsidy, h.Ledger.GetBalance(h.Producer.Address, Hash32.Zero));
        Assert.True(h.Ledger.TryGetUtxo(LedgerState.RewardOutpoint(1), out var reward));
        Assert.Equal(h.Producer.Address, reward.Owner);
        Assert.False(h.Ledger.TryGetUtxo(new TxInput(genesis, 0), out _));
        AssertRootsMatchStores(h);
    }

    [Fact]
    public void Random_transfer_chains_conserve_value_and_revert_exactly()
    {
        int seed = TestSeeds.Get(Random.Shared.Next());
        var rng = new Random(seed);
        var h = new LedgerHarness(shards: 8);
        var keys = new TestKey[6];
        for (int i = 0; i < keys.Length; i++) keys[i] = new TestKey();
        var genesis = h.ApplyGenesis(Funding, keys);
        var owned = new List<(TxInput Outpoint, ulong Amount, int Key)>();
        for (int i = 0; i < keys.Length; i++) owned.Add((new TxInput(genesis, (ushort)i), Funding, i));

        ulong totalFees = 0;
        for (ulong height = 1; height <= 12; height++)
        {
            var txs = new List<Transaction>();
            var spentNow = new HashSet<TxInput>();
            for (int t = 0; t < rng.Next(0, 5); t++)
            {
                var candidates = owned.Where(o => !spentNow.Contains(o.Outpoint) && o.Amount > 10_000).ToList();
                if (candidates.Count == 0) break;
                var pick = candidates[rng.Next(candidates.Count)];
                int to = rng.Next(keys.Length);
                var tx = h.Transfer(keys[pick.Key], [pick.Outpoint], pick.Amount, keys[to].Address, (ulong)rng.Next(1, 5000));
                txs.Add(tx);
                spentNow.Add(pick.Outpoint);
            }
            var before = h.Ledger.StateRoot;
            var result = h.AssertApplies(LedgerHarness.MakeBlock(height, [.. txs]));
            if (rng.Next(3) == 0)
            {
                h.Ledger.Revert(result);
                Assert.True(before == h.Ledger.StateRoot, $"seed {seed}: revert of block {height} did not restore the root");
                Assert.Equal(height - 1, h.Ledger.Height);
                // A reverted result has given its op buffer back: it cannot be used again.
                Assert.Throws<ObjectDisposedException>(() => result.SpentOutpoints());
                result.Dispose();
                result = h.AssertApplies(LedgerHarness.MakeBlock(height, [.. txs]));
            }
            totalFees += result.Fees;
            Assert.Equal(txs.Count, result.SpentOutpoints().Length);
            result.Dispose(); // final: its pooled op buffer serves the next blocks
            owned.RemoveAll(o => spentNow.Contains(o.Outpoint));
            foreach (var tx in txs)
            {
                var txid = tx.ComputeTxId();
                for (int i = 0; i < tx.Outputs.Length; i++)
                {
                    int key = Array.FindIndex(keys, k => k.Address == tx.Outputs[i].Owner);
                    owned.Add((new TxInput(txid, (ushort)i), tx.Outputs[i].Amount, key));
                }
            }
        }
        ulong total = 0;
        foreach (var k in keys) total += h.Ledger.GetBalance(k.Address, Hash32.Zero);
        ulong producer = h.Ledger.GetBalance(h.Producer.Address, Hash32.Zero);
        Assert.True(total + producer == Funding * (ulong)keys.Length + 12 * h.Rules.BlockSubsidy, $"seed {seed}: value not conserved");
        Assert.Equal(totalFees + 12 * h.Rules.BlockSubsidy, producer);
        AssertRootsMatchStores(h);
    }

    [Fact]
    public void Same_blocks_give_the_same_root_on_another_node()
    {
        var a = new LedgerHarness();
        var b = new LedgerHarness { Producer = a.Producer };
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = new Transaction { ChainId = LedgerHarness.ChainId, Outputs = [new TxOutput(Hash32.Zero, Funding, alice.Address)] };
        var block0 = LedgerHarness.MakeBlock(0, genesis);
        a.AssertApplies(block0);
        b.AssertApplies(block0);
        var tx = a.Transfer(alice, [new TxInput(genesis.ComputeTxId(), 0)], Funding, bob.Address, 1000);
        var block1 = LedgerHarness.MakeBlock(1, tx);
        a.AssertApplies(block1);
        b.AssertApplies(block1);
        Assert.Equal(a.Ledger.StateRoot, b.Ledger.StateRoot);
        Assert.NotEqual(Hash32.Zero, a.Ledger.StateRoot);
    }

    [Fact]
    public void Checkpoint_and_reopen_restore_height_root_and_address_index()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        h.AssertApplies(LedgerHarness.MakeBlock(1, h.Transfer(alice, [new TxInput(genesis, 0)], Funding, bob.Address, 777)));
        h.Ledger.Checkpoint();
        var root = h.Ledger.StateRoot;
        var reopened = h.Reopen();
        Assert.Equal(1UL, reopened.Height);
        Assert.Equal(root, reopened.StateRoot);
        Assert.Equal(777UL, reopened.GetBalance(bob.Address, Hash32.Zero));
        Assert.Single(reopened.GetUtxos(bob.Address));
    }

    [Fact]
    public void Issue_asset_creates_the_record_and_supply_which_then_transfers()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        var payload = new IssueAssetPayload("Film Rights Token", "FILM", 2, 1_000_000, new Hash32(new byte[32])).Encode();
        var unsigned = new Transaction
        {
            ChainId = LedgerHarness.ChainId,
            Kind = TxKind.IssueAsset,
            ValidUntil = 100,
            Inputs = [new TxInput(genesis, 0)],
            Outputs = [new TxOutput(AssetPlaceholder.Value, 1_000_000, alice.Address), new TxOutput(Hash32.Zero, Funding - 10_000, alice.Address)],
            Payload = payload,
        };
        var issue = LedgerHarness.Sign(unsigned, alice);
        h.AssertApplies(LedgerHarness.MakeBlock(1, issue));
        var assetId = AssetPlaceholder.AssetIdOf(issue.ComputeTxId());
        Assert.True(h.Ledger.TryGetAsset(assetId, out var asset));
        Assert.Equal(("Film Rights Token", "FILM", (byte)2, 1_000_000UL, alice.Address, 1UL), (asset!.Name, asset.Symbol, asset.Decimals, asset.Supply, asset.Issuer, asset.Height));
        Assert.Equal(1_000_000UL, h.Ledger.GetBalance(alice.Address, assetId));

        // Send 400,000 FILM to bob, paying the fee from the MES change.
        var films = new TxInput(issue.ComputeTxId(), 0);
        var mes = new TxInput(issue.ComputeTxId(), 1);
        var send = LedgerHarness.Sign(new Transaction
        {
            ChainId = LedgerHarness.ChainId,
            ValidUntil = 100,
            Inputs = [films, mes],
            Outputs = [new TxOutput(assetId, 400_000, bob.Address), new TxOutput(assetId, 600_000, alice.Address), new TxOutput(Hash32.Zero, Funding - 20_000, alice.Address)],
        }, alice);
        h.AssertApplies(LedgerHarness.MakeBlock(2, send));
        Assert.Equal(400_000UL, h.Ledger.GetBalance(bob.Address, assetId));
        AssertRootsMatchStores(h);
    }

    [Fact]
    public void Each_broken_rule_is_rejected_with_its_code_and_changes_nothing()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var mallory = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice, bob);
        var a0 = new TxInput(genesis, 0);
        var b0 = new TxInput(genesis, 1);
        Transaction Unsigned(TxInput[] inputs, TxOutput[] outputs, uint chain = LedgerHarness.ChainId, ulong validUntil = 100, TxKind kind = TxKind.Transfer, byte[]? payload = null) =>
            new() { ChainId = chain, Kind = kind, ValidUntil = validUntil, Inputs = inputs, Outputs = outputs, Payload = payload ?? [] };
        TxOutput Mes(ulong amount, Address to) => new(Hash32.Zero, amount, to);
        string Code(params Transaction[] txs) => h.AssertRejected(LedgerHarness.MakeBlock(1, txs)).Code;

        Assert.Equal(LedgerErrors.MissingInput, Code(LedgerHarness.Sign(Unsigned([new TxInput(genesis, 9)], [Mes(1, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.DuplicateInput, Code(LedgerHarness.Sign(Unsigned([a0, a0], [Mes(1, bob.Address)]), alice)));
        var spend = h.Transfer(alice, [a0], Funding, bob.Address, 10);
        var spendAgain = h.Transfer(alice, [a0], Funding, mallory.Address, 20);
        Assert.Equal(LedgerErrors.DoubleSpend, Code(spend, spendAgain));
        Assert.Equal(LedgerErrors.MissingWitness, Code(LedgerHarness.Sign(Unsigned([a0, b0], [Mes(10, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.ExtraWitness, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)]), alice, mallory)));
        Assert.Equal(LedgerErrors.ExtraWitness, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)]), mallory)));
        var forged = LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)]), alice);
        var wrongSig = new Transaction
        {
            ChainId = forged.ChainId, ValidUntil = forged.ValidUntil, Inputs = forged.Inputs, Outputs = forged.Outputs,
            Witnesses = [alice.Sign(Hash32.Zero)],
        };
        Assert.Equal(LedgerErrors.BadSignature, Code(wrongSig));
        Assert.Equal(LedgerErrors.ValueNotConserved, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(Funding + 1, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.Overflow, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(ulong.MaxValue, bob.Address), Mes(2, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.FeeTooLow, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(Funding - 5, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.ZeroAmount, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(0, bob.Address)]), alice)));
        Assert.Equal(LedgerErrors.Expired, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)], validUntil: 0), alice)));
        Assert.Equal(LedgerErrors.WrongChain, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)], chain: 5), alice)));
        Assert.Equal(LedgerErrors.KindNotEnabled, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(10, bob.Address)], kind: TxKind.Notarize), alice)));
        Assert.Equal(LedgerErrors.NoInputs, Code(Unsigned([], [Mes(10, bob.Address)])));
        var unknownAsset = new TxOutput(new Hash32(Enumerable.Repeat((byte)3, 32).ToArray()), 5, bob.Address);
        Assert.Equal(LedgerErrors.ValueNotConserved, Code(LedgerHarness.Sign(Unsigned([a0], [unknownAsset, Mes(Funding - 1000, alice.Address)]), alice)));
        Assert.Equal(LedgerErrors.BadPayload, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(Funding - 1000, alice.Address)], kind: TxKind.IssueAsset, payload: [1, 2, 3]), alice)));
        var badSymbol = new IssueAssetPayload("x", "lower", 2, 10, default).Encode();
        Assert.Equal(LedgerErrors.BadPayload, Code(LedgerHarness.Sign(Unsigned([a0], [Mes(Funding - 1000, alice.Address)], kind: TxKind.IssueAsset, payload: badSymbol), alice)));
        var supply10 = new IssueAssetPayload("x", "X", 2, 10, default).Encode();
        Assert.Equal(LedgerErrors.SupplyMismatch, Code(LedgerHarness.Sign(Unsigned([a0], [new TxOutput(AssetPlaceholder.Value, 9, alice.Address), Mes(Funding - 1000, alice.Address)], kind: TxKind.IssueAsset, payload: supply10), alice)));

        // Block-level rules.
        Assert.Equal(LedgerErrors.WrongHeight, h.AssertRejected(LedgerHarness.MakeBlock(5)).Code);
        // The rejection names the offending transaction.
        var good = h.Transfer(bob, [b0], Funding, alice.Address, 10);
        Assert.Equal(1, h.AssertRejected(LedgerHarness.MakeBlock(1, good, LedgerHarness.Sign(Unsigned([new TxInput(genesis, 7)], [Mes(1, bob.Address)]), alice))).TxIndex);
    }

    [Fact]
    public void An_output_created_in_a_block_can_be_spent_later_in_the_same_block()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        var first = h.Transfer(alice, [new TxInput(genesis, 0)], Funding, bob.Address, 500_000);
        var second = h.Transfer(bob, [new TxInput(first.ComputeTxId(), 0)], 500_000, alice.Address, 1000);
        h.AssertApplies(LedgerHarness.MakeBlock(1, first, second));
        Assert.False(h.Ledger.TryGetUtxo(new TxInput(first.ComputeTxId(), 0), out _));
        AssertRootsMatchStores(h);
    }

    [Fact]
    public void Mempool_check_matches_block_rules_and_the_signature_cache_is_honoured()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        var tx = h.Transfer(alice, [new TxInput(genesis, 0)], Funding, bob.Address, 10);
        var bytes = tx.ToBytes();
        Assert.True(TxView.TryDecode(bytes, out var view, out _));
        Assert.True(h.Ledger.TryCheck(view, 1, out ulong fee, out _));
        Assert.Equal((ulong)bytes.Length, fee);
        Assert.False(h.Ledger.TryCheck(view, 1001, out _, out var late));
        Assert.Equal(LedgerErrors.Expired, late.Code);

        // A cache that vouches for the exact bytes skips verification; anything else is verified.
        var corrupted = tx.WithWitnesses([alice.Sign(Hash32.Zero)]);
        var cache = new ExactCache(corrupted.ComputeTxId(), bytes);
        Assert.True(BlockView.TryDecode(LedgerHarness.MakeBlock(1, corrupted), out var block, out _));
        long verifiedBefore = h.Ledger.BlockSignaturesVerified;
        Assert.False(h.Ledger.TryApplyBlock(block, h.Producer.Address, cache, out _, out var rejection));
        Assert.Equal(LedgerErrors.BadSignature, rejection.Code);
        Assert.Equal(verifiedBefore + 1, h.Ledger.BlockSignaturesVerified); // counted (the node exports it)
        var trusting = new ExactCache(corrupted.ComputeTxId(), corrupted.ToBytes());
        Assert.True(h.Ledger.TryApplyBlock(block, h.Producer.Address, trusting, out _, out _));
        Assert.Equal(verifiedBefore + 1, h.Ledger.BlockSignaturesVerified); // vouched for: nothing verified
    }

    private sealed class ExactCache(Hash32 txid, byte[] encoding) : ISignatureCache
    {
        public bool WasVerified(in Hash32 id, ReadOnlySpan<byte> fullEncoding) => id == txid && fullEncoding.SequenceEqual(encoding);
    }

    [Fact]
    public void Verification_started_ahead_is_used_for_its_block_only_and_still_rejects_bad_signatures()
    {
        var h = new LedgerHarness();
        var alice = new TestKey();
        var bob = new TestKey();
        var genesis = h.ApplyGenesis(Funding, alice);
        var good = h.Transfer(alice, [new TxInput(genesis, 0)], Funding, bob.Address, 10);
        var forged = good.WithWitnesses([alice.Sign(Hash32.Zero)]);
        byte[] badBlock = LedgerHarness.MakeBlock(1, forged);
        byte[] goodBlock = LedgerHarness.MakeBlock(1, good);
        Assert.True(BlockView.TryDecode(badBlock, out var bad, out _));
        Assert.True(BlockView.TryDecode(goodBlock, out var fine, out _));
        var ahead = LedgerState.BeginVerification(bad, null);
        Assert.False(h.Ledger.TryApplyBlock(bad, h.Producer.Address, null, out _, out var rejection, ahead));
        Assert.Equal(LedgerErrors.BadSignature, rejection.Code);
        Assert.Equal(1UL, h.Ledger.Height is null ? 99UL : h.Ledger.Height + 1);
        // A verification started for another block is ignored, not trusted.
        var other = LedgerState.BeginVerification(fine, null);
        Assert.False(h.Ledger.TryApplyBlock(bad, h.Producer.Address, null, out _, out _, other));
        Assert.True(h.Ledger.TryApplyBlock(fine, h.Producer.Address, null, out _, out _, LedgerState.BeginVerification(fine, null)));
    }
}
