using System.Text.Json;
using MesFast.Core;
using MesFast.Core.Codec;
using MesFast.Core.Ledger;
using MesFast.Crypto;
using MesFast.Node.Chain;

namespace MesFast.Node.Rpc;

/// <summary>The JSON-RPC methods of PROTOCOL §8 over the node's chain. Each writes its <c>result</c> value.</summary>
internal sealed class RpcMethods(ChainService chain)
{
    private string Hrp => chain.Genesis.Hrp;

    public async ValueTask WriteResultAsync(string method, RpcParams p, Utf8JsonWriter w, CancellationToken cancellation)
    {
        switch (method)
        {
            case "mes_chainId":
                p.ExpectAtMost(0);
                w.WriteNumberValue(chain.ChainId);
                break;
            case "mes_blockNumber":
                p.ExpectAtMost(0);
                w.WriteNumberValue(chain.FinalHeight);
                break;
            case "mes_nodeInfo":
                p.ExpectAtMost(0);
                WriteNodeInfo(w);
                break;
            case "mes_getBlockByHeight":
                p.ExpectAtMost(2);
                WriteBlock(w, p.Height(0, "height"), p.Flag(1, "full", false));
                break;
            case "mes_getBlockByHash":
                p.ExpectAtMost(2);
                var hash = p.Hash(0, "hash");
                bool full = p.Flag(1, "full", false);
                if (chain.Blocks.TryGetHeight(hash, out ulong height)) WriteBlock(w, height, full);
                else w.WriteNullValue();
                break;
            case "mes_getTransaction":
                p.ExpectAtMost(1);
                WriteTransaction(w, p.Hash(0, "txid"));
                break;
            case "mes_sendRawTransaction":
                p.ExpectAtMost(1);
                byte[] raw = p.Hex(0, "tx", ProtocolLimits.MaxTxBytes);
                var result = await chain.SubmitTransactionAsync(raw, cancellation).ConfigureAwait(false);
                if (!result.Accepted) throw new RpcException(RpcException.TransactionRejected, $"transaction rejected: {result.Message}", result.Code);
                w.WriteStringValue(result.TxId.ToString());
                break;
            case "mes_getBalance":
                p.ExpectAtMost(2);
                var owner = p.Address(0, "address", Hrp);
                var asset = p.Has(1) ? p.Hash(1, "asset") : Hash32.Zero;
                w.WriteStringValue(RpcParams.Amount(chain.Ledger.GetBalance(owner, asset)));
                break;
            case "mes_getUtxos":
                p.ExpectAtMost(1);
                WriteUtxos(w, p.Address(0, "address", Hrp));
                break;
            case "mes_getAsset":
                p.ExpectAtMost(1);
                WriteAsset(w, p.Hash(0, "assetId"));
                break;
            case "mes_getProof":
                p.ExpectAtMost(1);
                WriteProof(w, p.Hash(0, "txid"));
                break;
            case "mes_estimateFee":
                p.ExpectAtMost(0);
                WriteFeeEstimate(w);
                break;
            case "mes_getWitnesses":
                p.ExpectAtMost(0);
                StakingJson.WriteWitnesses(w, chain.Schedule.Current, chain.Ledger, Hrp);
                break;
            case "mes_getCandidates":
                p.ExpectAtMost(0);
                StakingJson.WriteCandidates(w, chain.Ledger.GetCandidates(), chain.Schedule.Current.Set, Hrp);
                break;
            case "mes_getStakePosition":
                p.ExpectAtMost(1);
                var position = chain.Ledger.ReadPosition(p.Hash(0, "positionId"));
                StakingJson.WritePosition(w, position, position is null ? 0 : chain.Ledger.ClaimableRewards(position), Hrp);
                break;
            default:
                throw new RpcException(RpcException.MethodNotFound, $"method '{method}' does not exist");
        }
    }

    private void WriteBlock(Utf8JsonWriter w, ulong height, bool full)
    {
        byte[]? block = chain.Blocks.ReadBlock(height);
        if (block is null) w.WriteNullValue();
        else RpcJson.WriteBlock(w, block, withTxs: true, full, Hrp);
    }

    private void WriteTransaction(Utf8JsonWriter w, in Hash32 txid)
    {
        if (chain.Blocks.TryGetTxLocation(txid, out ulong height, out int index, out ulong? fee) && chain.Blocks.ReadBlock(height) is { } block)
        {
            BlockView.TryDecode(block, out var view, out _);
            int i = 0;
            foreach (var tx in view.Transactions)
            {
                if (i++ != index) continue;
                RpcJson.WriteTx(w, tx, txid, "final", height, view.ComputeHash(), index, fee, Hrp);
                return;
            }
        }
        if (chain.Mempool.TryGet(txid, out var pooled))
        {
            TxView.TryDecode(pooled!.Bytes, out var tx, out _);
            RpcJson.WriteTx(w, tx, txid, "pending", null, null, null, pooled.Fee, Hrp);
            return;
        }
        w.WriteNullValue();
    }

    private void WriteUtxos(Utf8JsonWriter w, in Address owner)
    {
        w.WriteStartArray();
        foreach (var (outpoint, entry) in chain.Ledger.GetUtxos(owner))
        {
            w.WriteStartObject();
            w.WriteString("txid", outpoint.TxId.ToString());
            w.WriteNumber("index", outpoint.Index);
            w.WriteString("asset", entry.Asset.ToString());
            w.WriteString("amount", RpcParams.Amount(entry.Amount));
            w.WriteString("owner", entry.Owner.ToBech32(Hrp));
            w.WriteNumber("height", entry.Height);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void WriteAsset(Utf8JsonWriter w, in Hash32 id)
    {
        if (!chain.Ledger.TryGetAsset(id, out var asset))
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("id", asset!.Id.ToString());
        w.WriteString("name", asset.Name);
        w.WriteString("symbol", asset.Symbol);
        w.WriteNumber("decimals", asset.Decimals);
        w.WriteString("supply", RpcParams.Amount(asset.Supply));
        if (asset.Id == Hash32.Zero) w.WriteNull("issuer");
        else w.WriteString("issuer", asset.Issuer.ToBech32(Hrp));
        w.WriteString("metadataHash", asset.MetadataHash.ToString());
        w.WriteString("txid", asset.TxId.ToString());
        w.WriteNumber("height", asset.Height);
        w.WriteEndObject();
    }

    private void WriteProof(Utf8JsonWriter w, in Hash32 txid)
    {
        if (!chain.Blocks.TryGetTxLocation(txid, out ulong height, out int index) || chain.Blocks.ReadBlock(height) is not { } block)
        {
            w.WriteNullValue();
            return;
        }
        BlockView.TryDecode(block, out var view, out _);
        var txids = new Hash32[view.TxCount];
        int i = 0;
        foreach (var tx in view.Transactions) txids[i++] = DomainHash.Compute(DomainHash.Tx, tx.UnsignedBytes);
        var proof = MerkleTree.CreateProof(txids, index);
        w.WriteStartObject();
        w.WriteString("txid", txid.ToString());
        w.WriteNumber("height", height);
        w.WriteString("blockHash", view.ComputeHash().ToString());
        w.WriteString("txRoot", view.Header.TxRoot.ToString());
        w.WriteNumber("index", index);
        w.WriteNumber("leafCount", txids.Length);
        w.WriteStartArray("path");
        foreach (var sibling in proof.Siblings) w.WriteStringValue(sibling.ToString());
        w.WriteEndArray();
        w.WriteString("proof", Convert.ToHexStringLower(proof.ToBytes()));
        w.WriteEndObject();
    }

    private void WriteFeeEstimate(Utf8JsonWriter w)
    {
        ulong min = chain.Genesis.MinFeePerByte;
        // Under pressure the pool keeps the best fee rates: suggest paying above the minimum when it is half full.
        ulong suggested = chain.Mempool.Count * 2L >= chain.MempoolCapacity ? Math.Max(min * 2, 1) : min;
        w.WriteStartObject();
        w.WriteString("minFeePerByte", RpcParams.Amount(min));
        w.WriteString("suggestedFeePerByte", RpcParams.Amount(suggested));
        w.WriteEndObject();
    }

    /// <summary>What an operator's status line shows: height, role, peers, throughput, mempool.</summary>
    private void WriteNodeInfo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("height", chain.FinalHeight);
        w.WriteBoolean("witness", chain.IsWitness);
        w.WriteNumber("peers", chain.Network?.PeerCount ?? 0);
        w.WriteString("nodeKey", chain.Network?.NodeKey.ToString());
        w.WriteNumber("txPerSecond", Math.Round(chain.TxPerSecond, 1));
        w.WriteNumber("mempoolTxs", chain.Mempool.Count);
        w.WriteNumber("proposalTxLimit", chain.ProposalTxLimit);
        w.WriteNumber("applyMsPerTx", Math.Round(chain.ApplyMsPerTx, 4));
        w.WriteString("genesisHash", chain.GenesisHash.ToString());
        w.WriteEndObject();
    }
}
