using System.Text.Json;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Node.Rpc;

/// <summary>Writes the block and transaction objects of PROTOCOL §8 (hex hashes, bech32m addresses, amounts as strings).</summary>
internal static class RpcJson
{
    public static void WriteBlock(Utf8JsonWriter w, ReadOnlySpan<byte> encoding, bool withTxs, bool fullTxs, string hrp)
    {
        BlockView.TryDecode(encoding, out var block, out _);
        var h = block.Header;
        w.WriteStartObject();
        w.WriteString("hash", block.ComputeHash().ToString());
        w.WriteNumber("height", h.Height);
        w.WriteNumber("timeMs", h.TimeMs);
        w.WriteNumber("epoch", h.Epoch);
        w.WriteNumber("view", h.View);
        w.WriteString("prev", h.Prev.ToString());
        w.WriteString("txRoot", h.TxRoot.ToString());
        w.WriteString("stateRoot", h.StateRoot.ToString());
        w.WriteString("witnessSetHash", h.WitnessSetHash.ToString());
        w.WriteNumber("proposer", h.Proposer);
        w.WriteNumber("nextWitnessCount", h.NextWitnessCount);
        w.WriteString("lastCommitHash", h.LastCommitHash.ToString());
        w.WriteNumber("size", encoding.Length);
        w.WriteNumber("txCount", block.TxCount);
        if (withTxs)
        {
            w.WriteStartArray("txs");
            int index = 0;
            var blockHash = block.ComputeHash();
            foreach (var tx in block.Transactions)
            {
                var txid = DomainHash.Compute(DomainHash.Tx, tx.UnsignedBytes);
                if (fullTxs) WriteTx(w, tx, txid, "final", h.Height, blockHash, index, null, hrp);
                else w.WriteStringValue(txid.ToString());
                index++;
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void WriteTx(Utf8JsonWriter w, in TxView tx, in Hash32 txid, string status, ulong? height, Hash32? blockHash,
        int? index, ulong? fee, string hrp)
    {
        w.WriteStartObject();
        w.WriteString("txid", txid.ToString());
        w.WriteString("kind", tx.Kind.ToString());
        w.WriteNumber("chainId", tx.ChainId);
        w.WriteNumber("validUntil", tx.ValidUntil);
        w.WriteStartArray("inputs");
        for (int i = 0; i < tx.InputCount; i++)
        {
            var input = tx.Input(i);
            w.WriteStartObject();
            w.WriteString("txid", input.TxId.ToString());
            w.WriteNumber("index", input.Index);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("outputs");
        for (int i = 0; i < tx.OutputCount; i++)
        {
            var output = tx.Output(i);
            w.WriteStartObject();
            w.WriteString("asset", output.Asset.ToString());
            w.WriteString("amount", RpcParams.Amount(output.Amount));
            w.WriteString("owner", output.Owner.ToBech32(hrp));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("payload", Convert.ToHexStringLower(tx.Payload));
        w.WriteStartArray("witnesses");
        for (int i = 0; i < tx.WitnessCount; i++)
        {
            var witness = tx.Witness(i);
            w.WriteStartObject();
            w.WriteString("publicKey", Convert.ToHexStringLower(witness.PublicKey));
            w.WriteString("signature", Convert.ToHexStringLower(witness.Signature));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("size", tx.Bytes.Length);
        if (fee is { } f) w.WriteString("fee", RpcParams.Amount(f));
        else w.WriteNull("fee");
        w.WriteString("raw", Convert.ToHexStringLower(tx.Bytes));
        w.WriteString("status", status);
        if (height is { } hgt) w.WriteNumber("height", hgt);
        else w.WriteNull("height");
        if (blockHash is { } bh) w.WriteString("blockHash", bh.ToString());
        else w.WriteNull("blockHash");
        if (index is { } i2) w.WriteNumber("index", i2);
        else w.WriteNull("index");
        w.WriteEndObject();
    }
}
