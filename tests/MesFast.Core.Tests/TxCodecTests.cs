using MesFast.Core.Codec;
using MesFast.Core.Types;
using MesFast.Crypto;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

public class TxCodecTests(ITestOutputHelper output)
{
    /// <summary>The small tx of <see cref="Known_answer_encoding_of_a_small_tx"/>.</summary>
    internal static Transaction SmallTx() => new()
    {
        ChainId = 0x01020304,
        Kind = TxKind.Transfer,
        ValidUntil = 100,
        Inputs = [new TxInput(new Hash32(Filled(32, 0x11)), 2)],
        Outputs = [new TxOutput(Hash32.Zero, 100_000_000, new Address(Filled(20, 0x22)))],
        Payload = [0xAB],
        Witnesses = [new TxWitness(new PublicKey32(Filled(32, 0x33)), new Signature64(Filled(64, 0x44)))],
    };

    internal static byte[] Filled(int length, byte value)
    {
        var b = new byte[length];
        Array.Fill(b, value);
        return b;
    }

    /// <summary>Hand-written bytes (DESIGN §2–§3) that pin the format: any layout change breaks this test.</summary>
    internal static readonly string SmallTxHex =
        "01" + "04030201" + "00" + "6400000000000000"         // version, chainId LE, kind Transfer, validUntil 100 LE
        + "01" + new string('1', 64) + "0200"                 // 1 input: txid 0x11…, index 2
        + "01" + new string('0', 64) + "00e1f50500000000"     // 1 output: asset 0 (MES), amount 10^8 LE
        + new string('2', 40)                                  //   owner 0x22…
        + "01" + "ab"                                          // payload: length 1, 0xAB
        + "01" + new string('3', 64) + new string('4', 128);  // 1 witness: pubkey 0x33…, signature 0x44…

    [Fact]
    public void Known_answer_encoding_of_a_small_tx()
    {
        byte[] expected = Convert.FromHexString(SmallTxHex);
        var tx = SmallTx();
        Assert.Equal(expected, tx.ToBytes());
        Assert.Equal(expected.Length, tx.EncodedLength);

        Assert.True(TxView.TryDecode(expected, out var view, out var failure), failure.ToString());
        Assert.Equal(1, view.Version);
        Assert.Equal(0x01020304u, view.ChainId);
        Assert.Equal(TxKind.Transfer, view.Kind);
        Assert.Equal(100ul, view.ValidUntil);
        Assert.Equal(new TxInput(new Hash32(Filled(32, 0x11)), 2), view.Input(0));
        Assert.Equal(100_000_000ul, view.Output(0).Amount);
        Assert.Equal(new byte[] { 0xAB }, view.Payload.ToArray());
        Assert.Equal(Filled(64, 0x44), view.Witness(0).Signature.ToArray());
        // Unsigned bytes = everything before the witness count (1 + 96 bytes of witness section at the end).
        Assert.Equal(expected.AsSpan(0, expected.Length - 97).ToArray(), view.UnsignedBytes.ToArray());
        Assert.Equal(DomainHash.Compute(DomainHash.Tx, expected.AsSpan(0, expected.Length - 97)), view.ComputeTxId());
        Assert.Equal(view.ComputeTxId(), tx.ComputeTxId());
        // Computed independently: b3sum --derive-key "mes/tx/v1" over the unsigned bytes.
        Assert.Equal("b8b604f5cd044d33b140651cb6b9733e088cdf4a02cc3b2e0773e93b415dc0f3", view.ComputeTxId().ToString());
    }

    [Fact]
    public void Random_txs_round_trip_and_views_agree_with_models()
    {
        int seed = TestSeeds.Get(1001);
        output.WriteLine($"seed {seed}");
        var rnd = new RandomObjects(new Random(seed));
        for (int n = 0; n < 500; n++)
        {
            var tx = rnd.Transaction();
            byte[] bytes = tx.ToBytes();
            Assert.True(TxView.TryDecode(bytes, out var view, out var failure), failure.ToString());
            Assert.Equal(tx.ChainId, view.ChainId);
            Assert.Equal(tx.Kind, view.Kind);
            Assert.Equal(tx.ValidUntil, view.ValidUntil);
            Assert.Equal(tx.Inputs.Length, view.InputCount);
            for (int i = 0; i < tx.Inputs.Length; i++) Assert.Equal(tx.Inputs[i], view.Input(i));
            Assert.Equal(tx.Outputs.Length, view.OutputCount);
            for (int i = 0; i < tx.Outputs.Length; i++) Assert.Equal(tx.Outputs[i], view.Output(i));
            Assert.Equal(tx.Payload, view.Payload.ToArray());
            Assert.Equal(tx.Witnesses.Length, view.WitnessCount);
            for (int i = 0; i < tx.Witnesses.Length; i++)
            {
                Assert.Equal(tx.Witnesses[i].PublicKey.Span.ToArray(), view.Witness(i).PublicKey.ToArray());
                Assert.Equal(tx.Witnesses[i].Signature.Span.ToArray(), view.Witness(i).Signature.ToArray());
            }
            Assert.Equal(tx.UnsignedLength, view.UnsignedBytes.Length);
            Assert.Equal(tx.ComputeTxId(), view.ComputeTxId());
            Assert.Equal(bytes, Transaction.FromView(view).ToBytes());
            Assert.True(tx.IsWithinLimits);
        }
    }

    [Fact]
    public void Txid_does_not_change_when_witnesses_change()
    {
        var rnd = new RandomObjects(new Random(TestSeeds.Get(1002)));
        var tx = SmallTx();
        var resigned = new Transaction
        {
            ChainId = tx.ChainId, Kind = tx.Kind, ValidUntil = tx.ValidUntil, Inputs = tx.Inputs, Outputs = tx.Outputs,
            Payload = tx.Payload,
            Witnesses = [new TxWitness(rnd.PublicKey(), rnd.Signature()), new TxWitness(rnd.PublicKey(), rnd.Signature())],
        };
        var unsigned = new Transaction
        {
            ChainId = tx.ChainId, Kind = tx.Kind, ValidUntil = tx.ValidUntil, Inputs = tx.Inputs, Outputs = tx.Outputs,
            Payload = tx.Payload,
        };
        Assert.NotEqual(tx.ToBytes(), resigned.ToBytes());
        Assert.Equal(tx.ComputeTxId(), resigned.ComputeTxId());
        Assert.Equal(tx.ComputeTxId(), unsigned.ComputeTxId());
        Assert.True(TxView.TryDecode(resigned.ToBytes(), out var view, out _));
        Assert.Equal(tx.ComputeTxId(), view.ComputeTxId());
        // …but any unsigned field does change it.
        var other = new Transaction { ChainId = tx.ChainId, Kind = tx.Kind, ValidUntil = tx.ValidUntil + 1, Inputs = tx.Inputs, Outputs = tx.Outputs, Payload = tx.Payload };
        Assert.NotEqual(tx.ComputeTxId(), other.ComputeTxId());
    }

    private static DecodeFailure DecodeFails(byte[] bytes)
    {
        Assert.False(TxView.TryDecode(bytes, out _, out var failure));
        return failure;
    }

    [Fact]
    public void Unknown_kind_rejected()
    {
        byte[] bytes = SmallTx().ToBytes();
        bytes[5] = TxKinds.Count; // first undefined kind
        var f = DecodeFails(bytes);
        Assert.Equal(DecodeError.UnknownKind, f.Error);
        Assert.Equal(5, f.Offset);
        Assert.Equal("kind: unknown kind at offset 5", f.ToString());
        bytes[5] = 0xFF;
        Assert.Equal(DecodeError.UnknownKind, DecodeFails(bytes).Error);
    }

    [Fact]
    public void Last_defined_kind_accepted()
    {
        byte[] bytes = SmallTx().ToBytes();
        bytes[5] = (byte)TxKind.CancelOrder;
        Assert.True(TxView.TryDecode(bytes, out var view, out _));
        Assert.Equal(TxKind.CancelOrder, view.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Version_other_than_1_rejected(byte version)
    {
        byte[] bytes = SmallTx().ToBytes();
        bytes[0] = version;
        var f = DecodeFails(bytes);
        Assert.Equal(DecodeError.UnknownVersion, f.Error);
        Assert.Equal("version", f.Field);
    }

    [Fact]
    public void Trailing_bytes_rejected()
    {
        byte[] good = SmallTx().ToBytes();
        byte[] bytes = [.. good, 0x00];
        var f = DecodeFails(bytes);
        Assert.Equal(DecodeError.TrailingBytes, f.Error);
        Assert.Equal(good.Length, f.Offset);
    }

    [Fact]
    public void Input_count_257_rejected()
    {
        // Fixed prefix, then varint 257 = 0x81 0x02; the count is rejected before any item is read.
        byte[] bytes = Convert.FromHexString("01" + "04030201" + "00" + "6400000000000000" + "8102");
        var f = DecodeFails(bytes);
        Assert.Equal(DecodeError.CountOverLimit, f.Error);
        Assert.Equal("inputs: count over limit at offset 14", f.ToString());
    }

    [Fact]
    public void Input_count_256_is_the_limit()
    {
        var rnd = new RandomObjects(new Random(TestSeeds.Get(1003)));
        var inputs = new TxInput[ProtocolLimits.MaxInputs];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = new TxInput(rnd.Hash(), (ushort)i);
        var tx = new Transaction { Inputs = inputs, Witnesses = [new TxWitness(rnd.PublicKey(), rnd.Signature())] };
        Assert.True(TxView.TryDecode(tx.ToBytes(), out var view, out var failure), failure.ToString());
        Assert.Equal(256, view.InputCount);
    }

    [Fact]
    public void Output_and_witness_counts_over_limit_rejected()
    {
        var tooManyOutputs = new Transaction { Outputs = new TxOutput[ProtocolLimits.MaxOutputs + 1] };
        var f = DecodeFails(tooManyOutputs.ToBytes());
        Assert.Equal((DecodeError.CountOverLimit, "outputs"), (f.Error, f.Field));
        var tooManyWitnesses = new Transaction { Witnesses = new TxWitness[ProtocolLimits.MaxWitnesses + 1] };
        f = DecodeFails(tooManyWitnesses.ToBytes());
        Assert.Equal((DecodeError.CountOverLimit, "witnesses"), (f.Error, f.Field));
    }

    [Fact]
    public void Payload_over_limit_rejected()
    {
        var tx = new Transaction { Payload = new byte[ProtocolLimits.MaxPayloadBytes + 1] };
        Assert.False(tx.IsWithinLimits);
        var f = DecodeFails(tx.ToBytes());
        Assert.Equal((DecodeError.LengthOverLimit, "payload"), (f.Error, f.Field));
    }

    [Fact]
    public void Tx_too_large_rejected()
    {
        // Every count and the payload are within their own limits, but the total exceeds 64 KiB.
        var tx = new Transaction
        {
            Inputs = new TxInput[ProtocolLimits.MaxInputs],
            Outputs = new TxOutput[ProtocolLimits.MaxOutputs],
            Payload = new byte[ProtocolLimits.MaxPayloadBytes],
            Witnesses = new TxWitness[ProtocolLimits.MaxWitnesses],
        };
        byte[] bytes = tx.ToBytes();
        Assert.True(bytes.Length > ProtocolLimits.MaxTxBytes);
        Assert.False(tx.IsWithinLimits);
        var f = DecodeFails(bytes);
        Assert.Equal((DecodeError.TooLarge, "tx"), (f.Error, f.Field));

        // Inside a larger buffer (as in a block) the size is checked after reading the tx.
        byte[] padded = [.. bytes, 1, 2, 3];
        var reader = new CodecReader(padded);
        Assert.False(TxView.TryRead(ref reader, out _));
        Assert.Equal(DecodeError.TooLarge, reader.Failure.Error);
        Assert.Equal(0, reader.Failure.Offset);
    }

    [Fact]
    public void Truncated_item_is_named_precisely()
    {
        byte[] bytes = SmallTx().ToBytes();
        // Cut inside input 0's index (prefix 14 + count 1 + txid 32 = 47, plus one byte of the index).
        var f = DecodeFails(bytes[..48]);
        Assert.Equal("inputs[0].index: truncated at offset 47", f.ToString());
    }

    [Fact]
    public void Non_minimal_count_rejected()
    {
        // Input count 1 written as 0x81 0x00.
        byte[] good = SmallTx().ToBytes();
        byte[] bytes = [.. good[..14], 0x81, 0x00, .. good[15..]];
        var f = DecodeFails(bytes);
        Assert.Equal((DecodeError.NonMinimalVarint, "inputs", 14), (f.Error, f.Field, f.Offset));
    }

    [Fact]
    public void Count_varint_over_u32_rejected()
    {
        // Input count 2^32 (ff ff ff ff 10) cannot be a u32: overflow, not "count over limit".
        byte[] bytes = Convert.FromHexString("01" + "04030201" + "00" + "6400000000000000" + "ffffffff10");
        var f = DecodeFails(bytes);
        Assert.Equal("inputs: varint overflows u32 at offset 14", f.ToString());
    }

    [Fact]
    public void Non_minimal_payload_length_rejected()
    {
        // Payload length 1 written as 0x81 0x00 (payload length sits after 14 + 35 + 61 bytes).
        byte[] good = SmallTx().ToBytes();
        const int payloadLengthAt = 14 + 1 + 34 + 1 + 60;
        Assert.Equal(0x01, good[payloadLengthAt]);
        byte[] bytes = [.. good[..payloadLengthAt], 0x81, 0x00, .. good[(payloadLengthAt + 1)..]];
        var f = DecodeFails(bytes);
        Assert.Equal((DecodeError.NonMinimalVarint, "payload", payloadLengthAt), (f.Error, f.Field, f.Offset));
    }

    [Fact]
    public void Duplicate_inputs_are_not_a_codec_error()
    {
        // Documented choice (PROTOCOL §6.2): the ledger rejects them; the codec only checks form.
        var tx = SmallTx();
        var doubled = new Transaction { ChainId = tx.ChainId, Inputs = [tx.Inputs[0], tx.Inputs[0]], Witnesses = tx.Witnesses };
        Assert.True(TxView.TryDecode(doubled.ToBytes(), out var view, out _));
        Assert.Equal(view.Input(0), view.Input(1));
    }

    [Fact]
    public void Decoding_a_view_allocates_nothing()
    {
        byte[] bytes = new RandomObjects(new Random(TestSeeds.Get(1004))).Transaction().ToBytes();
        for (int i = 0; i < 100; i++) TxView.TryDecode(bytes, out _, out _); // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        int inputs = 0;
        for (int i = 0; i < 1000; i++)
        {
            TxView.TryDecode(bytes, out var view, out _);
            inputs += view.InputCount;
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(inputs >= 0);
    }
}
