using MesFast.Core.Codec;
using MesFast.Core.Types;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

public class BlockCodecTests(ITestOutputHelper output)
{
    [Fact]
    public void Random_blocks_round_trip_and_views_agree_with_models()
    {
        int seed = TestSeeds.Get(6001);
        output.WriteLine($"seed {seed}");
        var rnd = new RandomObjects(new Random(seed));
        for (int n = 0; n < 200; n++)
        {
            var block = rnd.Block();
            byte[] bytes = block.ToBytes();
            Assert.Equal(block.EncodedLength, bytes.Length);
            Assert.True(BlockView.TryDecode(bytes, out var view, out var failure), failure.ToString());
            Assert.Equal(block.Header, BlockHeader.FromView(view.Header));
            Assert.Equal(block.ComputeHash(), view.ComputeHash());
            Assert.Equal(block.Transactions.Length, view.TxCount);
            int i = 0;
            foreach (var tx in view.Transactions)
            {
                Assert.Equal(block.Transactions[i].ToBytes(), tx.Bytes.ToArray());
                Assert.Equal(block.Transactions[i].ComputeTxId(), tx.ComputeTxId());
                i++;
            }
            Assert.Equal(block.Transactions.Length, i);
            Assert.Equal(block.LastCommit.ToBytes(), view.LastCommit.Bytes.ToArray());
            Assert.Equal(bytes, Block.FromView(view).ToBytes());
            // The block builder's path: the transactions' encodings copied in as they are.
            var encodings = Array.ConvertAll(block.Transactions, t => t.ToBytes());
            Assert.Equal(bytes.Length, Block.EncodedLengthOf(encodings, block.LastCommit));
            Assert.Equal(bytes, Block.Encode(block.Header, encodings, block.LastCommit));
        }
    }

    private static Block SampleBlock(params Transaction[] txs) => new()
    {
        Header = new RandomObjects(new Random(6002)).Header(),
        Transactions = txs,
        LastCommit = new CommitCertificate(),
    };

    [Fact]
    public void Error_inside_a_transaction_names_the_transaction()
    {
        var tx = TxCodecTests.SmallTx();
        byte[] bytes = SampleBlock(tx, tx, tx).ToBytes();
        int thirdTxAt = HeaderView.EncodedSize + 1 + 2 * tx.EncodedLength;
        bytes[thirdTxAt + 5] = 200; // kind
        Assert.False(BlockView.TryDecode(bytes, out _, out var f));
        Assert.Equal($"txs[2].kind: unknown kind at offset {thirdTxAt + 5}", f.ToString());
    }

    [Fact]
    public void Block_trailing_bytes_rejected()
    {
        byte[] good = SampleBlock(TxCodecTests.SmallTx()).ToBytes();
        Assert.True(BlockView.TryDecode(good, out _, out _));
        Assert.False(BlockView.TryDecode([.. good, 0], out _, out var f));
        Assert.Equal($"block: trailing bytes at offset {good.Length}", f.ToString());
    }

    [Fact]
    public void Block_tx_count_over_limit_rejected()
    {
        byte[] header = SampleBlock().Header.ToBytes();
        var writer = new byte[header.Length + Varint.MaxBytes];
        header.CopyTo(writer, 0);
        var w = new CodecWriter(writer.AsSpan(header.Length));
        w.WriteVarint(ProtocolLimits.MaxBlockTxs + 1);
        Assert.False(BlockView.TryDecode(writer.AsSpan(0, header.Length + w.Offset), out _, out var f));
        Assert.Equal((DecodeError.CountOverLimit, "txs", HeaderView.EncodedSize), (f.Error, f.Field, f.Offset));
    }

    [Fact]
    public void Block_over_max_bytes_rejected_before_parsing()
    {
        Assert.False(BlockView.TryDecode(new byte[ProtocolLimits.MaxBlockBytes + 1], out _, out var f));
        Assert.Equal((DecodeError.TooLarge, 0), (f.Error, f.Offset));
    }

    [Fact]
    public void Error_in_last_commit_is_named()
    {
        var signers = new bool[3];
        signers[0] = true;
        var block = new Block { Header = SampleBlock().Header, LastCommit = new CommitCertificate { Signers = signers } };
        Assert.False(BlockView.TryDecode(block.ToBytes(), out _, out var f));
        Assert.StartsWith("lastCommit.signatures: signature count differs", f.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_and_walking_a_block_allocates_nothing()
    {
        byte[] bytes = SampleBlock(TxCodecTests.SmallTx(), TxCodecTests.SmallTx()).ToBytes();
        int Walk()
        {
            int inputs = 0;
            if (BlockView.TryDecode(bytes, out var view, out _))
                foreach (var tx in view.Transactions) inputs += tx.InputCount;
            return inputs;
        }
        for (int i = 0; i < 100; i++) Walk();
        // The least of three measurements: the runtime's own work (tiered recompilation landing mid-loop) once put
        // 184 bytes on this thread; an allocation in the walk itself would show in every pass, 1,000 times over.
        long least = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int total = 0;
            for (int i = 0; i < 1000; i++) total += Walk();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(2000, total);
        }
        Assert.Equal(0, least);
    }
}

public class BufferWriterTests
{
    [Fact]
    public void Buffer_writer_output_equals_ToBytes()
    {
        var rnd = new RandomObjects(new Random(TestSeeds.Get(7001)));
        var block = rnd.Block();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        block.WriteTo(buffer);
        block.Header.WriteTo(buffer);
        block.LastCommit.WriteTo(buffer);
        var tx = rnd.Transaction();
        tx.WriteTo(buffer);
        byte[] expected = [.. block.ToBytes(), .. block.Header.ToBytes(), .. block.LastCommit.ToBytes(), .. tx.ToBytes()];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }
}
