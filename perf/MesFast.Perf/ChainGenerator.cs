using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Storage;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Perf;

/// <summary>
/// Writes a block log of signed transfers: block 0 funds 256 outputs, block 1 splits them into 256 × 200 outputs,
/// then blocks of <c>perBlock</c> one-input two-output transfers (payment + change), each spending a distinct
/// output. Blocks are produced by the real ledger (so headers carry real state roots) and appended to a real
/// block store. Signing is spread over all cores.
/// </summary>
internal static class ChainGenerator
{
    public const uint ChainId = 4242;
    public static readonly Hash32 Seed = new(Enumerable.Repeat((byte)0x5e, 32).ToArray());

    public static LedgerParams Rules(int shards) => new(ChainId, Seed, shards, 1, 100_000_000);

    /// <summary>Where block rewards go (fixed, so a replay can recompute the same roots).</summary>
    public static readonly Address Producer = new(Enumerable.Repeat((byte)0x77, 20).ToArray());

    public static void Generate(string directory, int transactions, int perBlock, int shards, TextWriter log)
    {
        var seeds = new byte[16][];
        var publicKeys = new byte[16][];
        var addresses = new Address[16];
        for (int k = 0; k < seeds.Length; k++)
        {
            seeds[k] = new byte[32];
            publicKeys[k] = new byte[32];
            CryptoEd25519.GenerateKey(seeds[k], publicKeys[k]);
            addresses[k] = Address.FromPublicKey(publicKeys[k]);
        }
        using var stores = ShardStoreSet.Open(Path.Combine(directory, "gen-state"), shards, new ShardStoreOptions { MemoryBytes = 512L << 20 });
        var ledger = LedgerState.Open(stores.Shards, Rules(shards));
        using var blocks = BlockStore.Open(Path.Combine(directory, "blocks"));
        var producer = Producer;
        var trusted = Trusted;

        // Block 0: 256 outputs of 10^12 units.
        var genesisOutputs = new TxOutput[256];
        for (int i = 0; i < 256; i++) genesisOutputs[i] = new TxOutput(Hash32.Zero, 1_000_000_000_000, addresses[i % 16]);
        var genesis = new Transaction { ChainId = ChainId, Outputs = genesisOutputs };
        Append(0, [genesis]);
        var coins = new Queue<(TxInput Outpoint, ulong Amount, int Key)>();
        var splits = new Transaction[256];
        Parallel.For(0, 256, i =>
        {
            var outs = new TxOutput[200];
            for (int j = 0; j < 200; j++) outs[j] = new TxOutput(Hash32.Zero, 4_000_000_000, addresses[i % 16]);
            splits[i] = Sign(new Transaction { ChainId = ChainId, ValidUntil = ulong.MaxValue, Inputs = [new TxInput(genesis.ComputeTxId(), (ushort)i)], Outputs = outs }, i % 16);
        });
        Append(1, splits);
        for (int i = 0; i < 256; i++)
            for (int j = 0; j < 200; j++) coins.Enqueue((new TxInput(splits[i].ComputeTxId(), (ushort)j), 4_000_000_000, i % 16));

        ulong height = 2;
        var rng = new Random(1);
        for (int made = 0; made < transactions; made += perBlock, height++)
        {
            int n = Math.Min(perBlock, transactions - made);
            var picked = new (TxInput Outpoint, ulong Amount, int Key)[n];
            var to = new int[n];
            for (int i = 0; i < n; i++)
            {
                picked[i] = coins.Dequeue();
                to[i] = rng.Next(16);
            }
            var txs = new Transaction[n];
            Parallel.For(0, n, i =>
            {
                var (outpoint, amount, key) = picked[i];
                const ulong fee = 400; // ≥ 1 unit/byte for a ~254-byte transfer
                ulong pay = amount / 3;
                txs[i] = Sign(new Transaction
                {
                    ChainId = ChainId,
                    ValidUntil = ulong.MaxValue,
                    Inputs = [outpoint],
                    Outputs = [new TxOutput(Hash32.Zero, pay, addresses[to[i]]), new TxOutput(Hash32.Zero, amount - pay - fee, addresses[key])],
                }, key);
            });
            Append(height, txs);
            for (int i = 0; i < n; i++)
            {
                var txid = txs[i].ComputeTxId();
                coins.Enqueue((new TxInput(txid, 0), txs[i].Outputs[0].Amount, to[i]));
                coins.Enqueue((new TxInput(txid, 1), txs[i].Outputs[1].Amount, picked[i].Key));
            }
            if (height % 20 == 0) log.WriteLine($"  generated {made + n} transfers");
        }
        blocks.Commit();

        Transaction Sign(Transaction unsigned, int key)
        {
            var txid = unsigned.ComputeTxId();
            var signature = new byte[64];
            CryptoEd25519.Sign(seeds[key], txid.Span, signature);
            return unsigned.WithWitnesses([new TxWitness(new PublicKey32(publicKeys[key]), new Signature64(signature))]);
        }

        void Append(ulong h, Transaction[] txs)
        {
            var txids = new Hash32[txs.Length];
            for (int i = 0; i < txs.Length; i++) txids[i] = txs[i].ComputeTxId();
            var header = new BlockHeader { ChainId = ChainId, Height = h, TimeMs = 1_000 * h, TxRoot = MerkleTree.ComputeRoot(txids) };
            byte[] draft = new Block { Header = header, Transactions = txs, LastCommit = new CommitCertificate() }.ToBytes();
            BlockView.TryDecode(draft, out var view, out var failure);
            if (!ledger.TryApplyBlock(view, producer, trusted, out _, out var rejection))
                throw new InvalidOperationException($"generated block {h} invalid: {rejection} {failure}");
            var block = new Block { Header = header with { StateRoot = ledger.StateRoot }, Transactions = txs, LastCommit = new CommitCertificate() };
            var hash = block.ComputeHash();
            // A generated chain has no witnesses: its blocks carry an empty certificate of their own hash.
            blocks.Append(h, hash, block.ToBytes(), new CommitCertificate { Height = h, Block = hash }.ToBytes(), txids);
        }
    }

    public static readonly ISignatureCache Trusted = new TrustAll();

    /// <summary>The generator signs what it builds; verification is what the replay measures.</summary>
    private sealed class TrustAll : ISignatureCache
    {
        public bool WasVerified(in Hash32 txid, ReadOnlySpan<byte> fullEncoding) => true;
    }
}
