using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Storage.Tests;

public sealed class BlockStoreTests
{
    private static (byte[] Encoding, Hash32 Hash, Hash32[] TxIds) MakeBlock(ulong height, Random rng, bool incompressible = false)
    {
        int txCount = rng.Next(0, 6);
        var txs = new Transaction[txCount];
        var txids = new Hash32[txCount];
        for (int i = 0; i < txCount; i++)
        {
            var txid = new byte[32];
            rng.NextBytes(txid);
            var owner = new byte[20];
            rng.NextBytes(owner);
            var payload = new byte[incompressible ? 2000 : rng.Next(0, 64)];
            if (incompressible) rng.NextBytes(payload);
            txs[i] = new Transaction
            {
                ChainId = 7,
                ValidUntil = height + 10,
                Inputs = [new TxInput(new Hash32(txid), (ushort)i)],
                Outputs = [new TxOutput(Hash32.Zero, (ulong)rng.Next(1, 1000), new Address(owner))],
                Payload = payload,
            };
            txids[i] = txs[i].ComputeTxId();
        }
        var block = new Block
        {
            Header = new BlockHeader { ChainId = 7, Height = height, TimeMs = 1000 + height },
            Transactions = txs,
            LastCommit = new CommitCertificate { Height = height == 0 ? 0 : height - 1 },
        };
        return (block.ToBytes(), block.ComputeHash(), txids);
    }

    /// <summary>A stand-in certificate encoding, different per height (the store keeps bytes; it does not decode them).</summary>
    private static byte[] CertificateOf(ulong height) => new CommitCertificate { Height = height, View = (uint)(height % 3), Signers = [true] }.ToBytes();

    private static ulong[] FeesOf(Hash32[] txids)
    {
        var fees = new ulong[txids.Length];
        for (int i = 0; i < fees.Length; i++) fees[i] = txids[i].Span[0] * 1000UL + (ulong)i;
        return fees;
    }

    [Fact]
    public void Committed_blocks_read_back_with_their_indexes_also_after_reopen()
    {
        using var dir = new TempDirectory();
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var blocks = new List<(byte[] Encoding, Hash32 Hash, Hash32[] TxIds)>();
        using (var store = BlockStore.Open(dir.Path))
        {
            Assert.True(store.IsEmpty);
            for (ulong h = 0; h < 40; h++)
            {
                var b = MakeBlock(h, rng, incompressible: h % 7 == 3);
                blocks.Add(b);
                store.Append(h, b.Hash, b.Encoding, CertificateOf(h), b.TxIds, FeesOf(b.TxIds));
                if (h % 5 == 4) store.Commit();
                if (h == 19) store.CheckpointIndex();
            }
            store.Commit();
            Check(store);
        }
        using (var reopened = BlockStore.Open(dir.Path))
        {
            Check(reopened);
        }

        void Check(BlockStore store)
        {
            Assert.Equal(39UL, store.TipHeight);
            for (int h = 0; h < blocks.Count; h++)
            {
                Assert.True(blocks[h].Encoding.AsSpan().SequenceEqual(store.ReadBlock((ulong)h)), $"seed {seed}: block {h}");
                Assert.Equal(CertificateOf((ulong)h), store.ReadCertificate((ulong)h));
                Assert.True(store.TryGetHeight(blocks[h].Hash, out ulong height));
                Assert.Equal((ulong)h, height);
                for (int i = 0; i < blocks[h].TxIds.Length; i++)
                {
                    Assert.True(store.TryGetTxLocation(blocks[h].TxIds[i], out ulong txHeight, out int index, out ulong? fee));
                    Assert.Equal(((ulong)h, i), (txHeight, index));
                    // Blocks after the index checkpoint (19) are re-indexed from the log on reopen: fee unknown there.
                    Assert.True(fee == FeesOf(blocks[h].TxIds)[i] || (fee is null && h > 19), $"seed {seed}: fee of tx {i} in block {h}");
                }
            }
            Assert.Null(store.ReadBlock(40));
            Assert.Null(store.ReadCertificate(40));
            Assert.False(store.TryGetHeight(Hash32.Zero, out _));
        }
    }

    [Fact]
    public void Blocks_never_committed_are_gone_after_reopen()
    {
        using var dir = new TempDirectory();
        var rng = new Random(TestSeed.Next());
        var late = MakeBlock(3, rng);
        using (var store = BlockStore.Open(dir.Path))
        {
            for (ulong h = 0; h < 3; h++)
            {
                var b = MakeBlock(h, rng);
                store.Append(h, b.Hash, b.Encoding, CertificateOf(h), b.TxIds);
            }
            store.Commit();
            store.CheckpointIndex();
            store.Append(3, late.Hash, late.Encoding, CertificateOf(3), late.TxIds);
            // Not visible before commit: nothing is reported that a crash could take back.
            Assert.Equal(2UL, store.TipHeight);
            Assert.Null(store.ReadBlock(3));
            Assert.Null(store.ReadCertificate(3));
            Assert.False(store.TryGetHeight(late.Hash, out _));
            Assert.Throws<InvalidOperationException>(() => store.CheckpointIndex()); // the index may not run ahead of the log
        }
        using var reopened = BlockStore.Open(dir.Path);
        Assert.Equal(2UL, reopened.TipHeight);
        Assert.Null(reopened.ReadBlock(3));
        Assert.False(reopened.TryGetHeight(late.Hash, out _));
        var again = MakeBlock(3, rng);
        reopened.Append(3, again.Hash, again.Encoding, CertificateOf(3), again.TxIds);
        reopened.Commit();
        Assert.True(again.Encoding.AsSpan().SequenceEqual(reopened.ReadBlock(3)));
    }

    [Fact]
    public void A_height_file_behind_the_log_is_completed_from_the_log()
    {
        using var dir = new TempDirectory();
        var rng = new Random(TestSeed.Next());
        var blocks = new List<(byte[] Encoding, Hash32 Hash, Hash32[] TxIds)>();
        using (var store = BlockStore.Open(dir.Path))
        {
            for (ulong h = 0; h < 6; h++)
            {
                var b = MakeBlock(h, rng);
                blocks.Add(b);
                store.Append(h, b.Hash, b.Encoding, CertificateOf(h), b.TxIds);
                store.Commit();
            }
        }
        // A crash after the log commit but before the height file was written: the file lost its last entries.
        string heights = Path.Combine(dir.Path, "heights.bin");
        using (var f = new FileStream(heights, FileMode.Open)) f.SetLength(3 * 8 + 5);
        using var reopened = BlockStore.Open(dir.Path);
        Assert.Equal(5UL, reopened.TipHeight);
        for (int h = 0; h < 6; h++)
        {
            Assert.True(blocks[h].Encoding.AsSpan().SequenceEqual(reopened.ReadBlock((ulong)h)));
            foreach (var txid in blocks[h].TxIds) Assert.True(reopened.TryGetTxLocation(txid, out _, out _));
        }
    }

    [Fact]
    public void Appending_out_of_order_is_refused()
    {
        using var dir = new TempDirectory();
        var rng = new Random(TestSeed.Next());
        using var store = BlockStore.Open(dir.Path);
        var b = MakeBlock(1, rng);
        Assert.Throws<ArgumentException>(() => store.Append(1, b.Hash, b.Encoding, CertificateOf(1), b.TxIds));
        var g = MakeBlock(0, rng);
        store.Append(0, g.Hash, g.Encoding, CertificateOf(0), g.TxIds);
        Assert.Throws<ArgumentException>(() => store.Append(0, g.Hash, g.Encoding, CertificateOf(0), g.TxIds));
    }

    [Fact]
    public async Task Commits_on_another_thread_while_blocks_are_appended_keep_every_block_and_certificate()
    {
        using var dir = new TempDirectory();
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        var blocks = new List<(byte[] Encoding, Hash32 Hash, Hash32[] TxIds)>();
        for (ulong h = 0; h < 300; h++) blocks.Add(MakeBlock(h, rng, incompressible: h % 11 == 5));
        using (var store = BlockStore.Open(dir.Path))
        {
            using var done = new CancellationTokenSource();
            int commits = 0;
            var committer = Task.Run(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    store.Commit();
                    commits++;
                }
            });
            for (ulong h = 0; h < (ulong)blocks.Count; h++)
            {
                var b = blocks[(int)h];
                store.Append(h, b.Hash, b.Encoding, CertificateOf(h), b.TxIds);
                // Readers see exactly the committed blocks, whole.
                if (!store.IsEmpty)
                {
                    ulong durable = store.TipHeight;
                    ulong probe = (ulong)rng.Next(0, (int)durable + 1);
                    Assert.True(blocks[(int)probe].Encoding.AsSpan().SequenceEqual(store.ReadBlock(probe)), $"seed {seed}: block {probe} at {h}");
                    Assert.Equal(CertificateOf(probe), store.ReadCertificate(probe));
                }
                // Now and then the appender lets the committer catch up, so commits interleave with appends.
                if (h % 25 == 24) Assert.True(SpinWait.SpinUntil(() => !store.IsEmpty && store.TipHeight + 10 > h, TimeSpan.FromSeconds(30)));
            }
            done.Cancel();
            await committer;
            Assert.True(commits > 1);
            store.Commit();
            Assert.Equal(299UL, store.TipHeight);
        }
        using var reopened = BlockStore.Open(dir.Path);
        Assert.Equal(299UL, reopened.TipHeight);
        for (int h = 0; h < blocks.Count; h++)
        {
            Assert.True(blocks[h].Encoding.AsSpan().SequenceEqual(reopened.ReadBlock((ulong)h)), $"seed {seed}: block {h}");
            Assert.Equal(CertificateOf((ulong)h), reopened.ReadCertificate((ulong)h));
        }
    }

    [Fact]
    public void Frames_of_the_first_layout_read_without_a_certificate_and_damaged_frames_are_refused()
    {
        var rng = new Random(TestSeed.Next());
        var b = MakeBlock(4, rng);
        byte[] certificate = CertificateOf(4);
        byte[] pooled = BlockFrame.Encode(4, b.Hash, b.Encoding, certificate, out int length);
        byte[] frame = pooled.AsSpan(0, length).ToArray();
        System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
        Assert.True(BlockFrame.TryReadHeader(frame, out ulong height, out Hash32 hash, out int rawLength));
        Assert.Equal((4UL, b.Hash, b.Encoding.Length), (height, hash, rawLength));
        Assert.Equal(certificate, BlockFrame.TryReadCertificate(frame));
        Assert.Equal(b.Encoding, BlockFrame.TryDecodeBlock(frame));

        // The first layout: the same header under the old magic, the payload right after it.
        byte[] old = new byte[49 + (length - 49 - 4 - certificate.Length)];
        frame.AsSpan(0, 49).CopyTo(old);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(old, BlockFrame.MagicWithoutCertificate);
        frame.AsSpan(49 + 4 + certificate.Length).CopyTo(old.AsSpan(49));
        Assert.Equal(b.Encoding, BlockFrame.TryDecodeBlock(old));
        Assert.Empty(BlockFrame.TryReadCertificate(old)!);

        // A certificate length past the frame's end, a negative one, an unknown magic: not frames.
        byte[] bad = (byte[])frame.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(49), length);
        Assert.Null(BlockFrame.TryReadCertificate(bad));
        Assert.Null(BlockFrame.TryDecodeBlock(bad));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(49), -1);
        Assert.False(BlockFrame.TryReadHeader(bad, out _, out _, out _));
        bad = (byte[])frame.Clone();
        bad[0] ^= 1;
        Assert.False(BlockFrame.TryReadHeader(bad, out _, out _, out _));
        for (int cut = 0; cut < 53 + certificate.Length; cut++) Assert.Null(BlockFrame.TryReadCertificate(frame.AsSpan(0, cut)));
    }
}
