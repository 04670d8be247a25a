using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MesFast.Client;
using MesFast.Core;
using MesFast.Crypto;

namespace MesFast.Node.Tests.Rpc;

public sealed class RpcTests : IAsyncLifetime, IDisposable
{
    private DevNode _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await DevNode.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode Status, JsonDocument? Body)> PostAsync(string json)
    {
        using var response = await _http.PostAsync(_node.RpcUri, new StringContent(json, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text));
    }

    private async Task<JsonElement> ErrorOfAsync(string method, string parameters)
    {
        var (_, body) = await PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"{method}\",\"params\":{parameters}}}");
        Assert.Equal(7, body!.RootElement.GetProperty("id").GetInt32());
        return body.RootElement.GetProperty("error");
    }

    private static async Task<TransactionInfo> WaitFinalAsync(MesRpcClient client, Hash32 txid)
    {
        for (int i = 0; i < 200; i++)
        {
            var info = await client.GetTransactionAsync(txid);
            if (info is { Status: "final" }) return info;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{txid} not final");
    }

    [Fact]
    public async Task A_transfer_is_pending_then_final_with_block_proof_balance_and_utxos()
    {
        using var client = _node.Client();
        Assert.Equal(1000u, await client.ChainIdAsync());
        string devAddress = _node.DevKey.Address.ToBech32(_node.Hrp);
        using var bob = Signer.Generate();
        var utxos = await client.GetUtxosAsync(devAddress);
        Assert.Single(utxos);
        var fee = await client.EstimateFeeAsync();
        Assert.Equal(1UL, fee.MinFeePerByte);
        var built = TxBuilder.Transfer(1000, await client.BlockNumberAsync(), _node.DevKey, utxos, bob.Address, Hash32.Zero, 1_250_000_000, fee.SuggestedFeePerByte);
        Assert.Equal(built.TxId, await client.SendRawTransactionAsync(built.Bytes));
        var final = await WaitFinalAsync(client, built.TxId);
        Assert.Equal("Transfer", final.Kind);
        Assert.Equal(built.Fee, final.Fee);
        Assert.NotNull(final.Height);
        Assert.Equal(1_250_000_000UL, await client.GetBalanceAsync(bob.Address.ToBech32(_node.Hrp)));

        string block = (await client.GetBlockByHeightAsync(final.Height!.Value, full: true))!;
        using (var doc = JsonDocument.Parse(block))
        {
            Assert.Equal(final.BlockHash, doc.RootElement.GetProperty("hash").GetString());
            Assert.Equal(built.TxId.ToString(), doc.RootElement.GetProperty("txs")[final.Index!.Value].GetProperty("txid").GetString());
        }
        string proofJson = (await client.GetProofAsync(built.TxId))!;
        using (var doc = JsonDocument.Parse(proofJson))
        {
            var proof = MerkleProof.Decode(Convert.FromHexString(doc.RootElement.GetProperty("proof").GetString()!));
            Assert.True(proof.Verify(built.TxId, Hash32.Parse(doc.RootElement.GetProperty("txRoot").GetString()!)));
        }
        // The same txid again is a clear rejection: a duplicate of a final transaction (recent blocks are remembered).
        var again = await Assert.ThrowsAsync<MesRpcException>(() => client.SendRawTransactionAsync(built.Bytes));
        Assert.Equal(-32000, again.Code);
        Assert.Equal("duplicate", again.ErrorData);
        Assert.Contains("already in a final block", again.Message, StringComparison.Ordinal);
        var byHash = await PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mes_getBlockByHash\",\"params\":[\"{final.BlockHash}\"]}}");
        Assert.Equal((long)final.Height.Value, byHash.Body!.RootElement.GetProperty("result").GetProperty("height").GetInt64());
    }

    private async Task<JsonElement> ResultOfAsync(string method, string parameters)
    {
        var (_, body) = await PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"{method}\",\"params\":{parameters}}}");
        Assert.True(body!.RootElement.TryGetProperty("result", out var result), body.RootElement.GetRawText());
        return result.Clone();
    }

    private async Task<(int Code, string Out, string Error)> MesAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var env = new Cli.CliEnvironment(output, errors, name => name == "MES_RPC" ? _node.RpcUri.ToString() : null, _ => null);
        int code = await Cli.MesCli.RunAsync(args, env);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Witnesses_candidates_and_stake_positions_are_queryable()
    {
        var chain = _node.Chain;
        using var candidateKey = Signer.Generate();
        var txs = new Chain.StakingTxs(chain.Genesis, _node.DevKey, Commands.DevSetup.DevFunding);
        await Chain.StakingTxs.SubmitFinalAsync(chain, txs.Register(candidateKey, chain.Genesis.Dpos.MinBond));
        var stake = txs.Stake(5_000, candidateKey);
        await Chain.StakingTxs.SubmitFinalAsync(chain, stake);
        string candidate = Chain.StakingTxs.KeyOf(candidateKey).ToString();
        string dev = _node.DevKey.Address.ToBech32(_node.Hrp);

        var candidates = await ResultOfAsync("mes_getCandidates", "[]");
        var only = Assert.Single(candidates.EnumerateArray().ToArray());
        Assert.Equal(candidate, only.GetProperty("nodeKey").GetString());
        Assert.Equal(dev, only.GetProperty("owner").GetString());
        Assert.Equal(("w", "https://w.example/", "w.example:7000"), (only.GetProperty("name").GetString(), only.GetProperty("url").GetString(), only.GetProperty("endpoint").GetString()));
        Assert.Equal(chain.Genesis.Dpos.MinBond.ToString(System.Globalization.CultureInfo.InvariantCulture), only.GetProperty("bond").GetString());
        Assert.Equal(chain.Ledger.GetCandidateWeights()[0].Weight.ToString(System.Globalization.CultureInfo.InvariantCulture), only.GetProperty("votes").GetString());
        Assert.NotEqual("0", only.GetProperty("votes").GetString());
        Assert.Equal(5_000, only.GetProperty("voterShareBps").GetInt32());
        Assert.False(only.GetProperty("witness").GetBoolean()); // the dev chain's genesis witness keeps its seat until an epoch boundary
        Assert.Equal(JsonValueKind.Null, only.GetProperty("star").ValueKind);

        var position = await ResultOfAsync("mes_getStakePosition", $"[\"{stake.ComputeTxId()}\"]");
        Assert.Equal(stake.ComputeTxId().ToString(), position.GetProperty("id").GetString());
        Assert.Equal(dev, position.GetProperty("owner").GetString());
        Assert.Equal("5000", position.GetProperty("amount").GetString());
        Assert.Equal("bonded", position.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, position.GetProperty("releaseHeight").ValueKind);
        Assert.Equal(new[] { candidate }, position.GetProperty("approvals").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(chain.Ledger.ClaimableRewards(stake.ComputeTxId()).ToString(System.Globalization.CultureInfo.InvariantCulture), position.GetProperty("claimableRewards").GetString());
        Assert.Equal(JsonValueKind.Null, (await ResultOfAsync("mes_getStakePosition", $"[\"{new string('0', 64)}\"]")).ValueKind);

        var witnesses = await ResultOfAsync("mes_getWitnesses", "[]");
        var round = chain.Schedule.Current;
        Assert.Equal(round.Epoch, witnesses.GetProperty("epoch").GetUInt32());
        Assert.Equal(round.Set.Hash.ToString(), witnesses.GetProperty("witnessSetHash").GetString());
        var seat = Assert.Single(witnesses.GetProperty("witnesses").EnumerateArray().ToArray());
        Assert.Equal(round.Set.PublicKeys[0].ToString(), seat.GetProperty("nodeKey").GetString());
        Assert.Equal(JsonValueKind.Null, seat.GetProperty("candidate").ValueKind);
        ulong start = witnesses.GetProperty("roundStart").GetUInt64(), end = witnesses.GetProperty("roundEnd").GetUInt64();
        var proposers = witnesses.GetProperty("proposers").EnumerateArray().ToArray();
        Assert.Equal((int)(end - start), proposers.Length);
        Assert.Equal(start, proposers[0].GetProperty("height").GetUInt64());
        Assert.All(proposers, p => Assert.Equal(round.Set.PublicKeys[0].ToString(), p.GetProperty("nodeKey").GetString()));

        // The wallet CLI shows the same.
        var (code, text, errors) = await MesAsync("candidates");
        Assert.True(code == 0, errors);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("rank  node key", rows[0], StringComparison.Ordinal);
        Assert.Matches(@"^\s+1\s+[0-9a-f]{8}…[0-9a-f]{8}\s+w\s+.*\s+10000\s+50\.00%\s+no$", rows[1]);
        (code, text, errors) = await MesAsync("witnesses");
        Assert.True(code == 0, errors);
        Assert.Contains($"epoch {round.Epoch} (heights", text, StringComparison.Ordinal);
        Assert.Contains("(genesis)", text, StringComparison.Ordinal);
        (code, text, _) = await MesAsync("candidates", "--json");
        Assert.Equal(0, code);
        Assert.Equal(candidate, JsonDocument.Parse(text).RootElement[0].GetProperty("nodeKey").GetString());
        (code, _, errors) = await MesAsync("witnesses", "extra");
        Assert.Equal(2, code);
        Assert.Contains("usage: mes witnesses", errors, StringComparison.Ordinal);

        var e = await ErrorOfAsync("mes_getStakePosition", "[\"xyz\"]");
        Assert.Equal("params[0] (positionId): expected 64 hex characters", e.GetProperty("message").GetString());
        e = await ErrorOfAsync("mes_getWitnesses", "[1]");
        Assert.Equal(-32602, e.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unknown_things_are_null_and_mes_is_asset_zero()
    {
        using var client = _node.Client();
        Assert.Null(await client.GetTransactionAsync(new Hash32(new byte[32])));
        Assert.Null(await client.GetBlockByHeightAsync(1_000_000));
        Assert.Null(await client.GetProofAsync(new Hash32(new byte[32])));
        Assert.Null(await client.GetAssetAsync(new Hash32(Enumerable.Repeat((byte)9, 32).ToArray())));
        var mes = await client.GetAssetAsync(Hash32.Zero);
        Assert.Equal(("MES", 8), (mes!.Symbol, mes.Decimals));
    }

    [Fact]
    public async Task Wrong_params_name_the_parameter_and_the_problem()
    {
        var e = await ErrorOfAsync("mes_getTransaction", "[\"abc\"]");
        Assert.Equal(-32602, e.GetProperty("code").GetInt32());
        Assert.Equal("params[0] (txid): expected 64 hex characters", e.GetProperty("message").GetString());
        e = await ErrorOfAsync("mes_getBlockByHeight", "[-1]");
        Assert.Contains("params[0] (height)", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        e = await ErrorOfAsync("mes_getBalance", "[\"mes1qqqq\"]");
        Assert.Contains("params[0] (address): not a valid 'tmes' address", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        e = await ErrorOfAsync("mes_sendRawTransaction", "[\"zz\"]");
        Assert.Contains("params[0] (tx)", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        e = await ErrorOfAsync("mes_sendRawTransaction", "[\"0102\"]");
        Assert.Equal(-32000, e.GetProperty("code").GetInt32());
        Assert.Equal("decode", e.GetProperty("data").GetString());
        // Hex is read straight from the request's UTF-8; prefixed and JSON-escaped hex read the same, bad hex is named.
        foreach (string wellFormed in new[] { "[\"0X0102\"]", "[\"\\u0030\\u0031\\u0030\\u0032\"]" })
        {
            e = await ErrorOfAsync("mes_sendRawTransaction", wellFormed);
            Assert.Equal("decode", e.GetProperty("data").GetString());
        }
        foreach (string badHex in new[] { "[\"010\"]", "[\"01x2\"]", "[\"\\u0030\\u0031\\u0030\"]" })
        {
            e = await ErrorOfAsync("mes_sendRawTransaction", badHex);
            Assert.Equal("params[0] (tx): expected an even number of hex characters", e.GetProperty("message").GetString());
        }
        e = await ErrorOfAsync("mes_sendRawTransaction", "[12]");
        Assert.Equal("params[0] (tx): expected a string", e.GetProperty("message").GetString());
        e = await ErrorOfAsync("mes_sendRawTransaction", $"[\"{new string('a', 2 * (ProtocolLimits.MaxTxBytes + 1))}\"]");
        Assert.Equal($"params[0] (tx): {ProtocolLimits.MaxTxBytes + 1} bytes, the limit is {ProtocolLimits.MaxTxBytes}", e.GetProperty("message").GetString());
        e = await ErrorOfAsync("mes_chainId", "[1]");
        Assert.Equal(-32602, e.GetProperty("code").GetInt32());
        e = await ErrorOfAsync("mes_chainId", "{\"a\":1}");
        Assert.Equal(-32602, e.GetProperty("code").GetInt32());
        e = await ErrorOfAsync("mes_nothing", "[]");
        Assert.Equal(-32601, e.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Envelope_errors_batches_and_notifications_follow_json_rpc()
    {
        var (status, body) = await PostAsync("{not json");
        Assert.Equal(-32700, body!.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        (_, body) = await PostAsync("[]");
        Assert.Equal(-32600, body!.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        (_, body) = await PostAsync("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"mes_chainId\"}");
        Assert.Equal(-32600, body!.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        (_, body) = await PostAsync("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mes_chainId\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"x\"},{\"jsonrpc\":\"2.0\",\"method\":\"mes_chainId\"},5]");
        var items = body!.RootElement;
        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal(1000, items[0].GetProperty("result").GetInt32());
        Assert.Equal(-32601, items[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32600, items[2].GetProperty("error").GetProperty("code").GetInt32());
        (status, body) = await PostAsync("{\"jsonrpc\":\"2.0\",\"method\":\"mes_chainId\"}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Null(body);
        // Expect: 100-continue lets the server refuse before the client sends 2 MiB (else the refusal can race the
        // upload and surface as a broken pipe in the client).
        string huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mes_sendRawTransaction\",\"params\":[\"" + new string('a', 2 << 20) + "\"]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, _node.RpcUri) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var refusal = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(-32005, refusal.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_chunked_batch_larger_than_the_first_read_buffer_is_answered_in_order()
    {
        // No Content-Length: the server grows its pooled body buffer as the chunks arrive (about 30 KB here).
        var batch = new StringBuilder("[");
        for (int i = 0; i < 600; i++) batch.Append(i == 0 ? "" : ",").Append("{\"jsonrpc\":\"2.0\",\"id\":").Append(i).Append(",\"method\":\"mes_chainId\"}");
        batch.Append(']');
        using var request = new HttpRequestMessage(HttpMethod.Post, _node.RpcUri) { Content = new StringContent(batch.ToString(), Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(600, doc.RootElement.GetArrayLength());
        for (int i = 0; i < 600; i++)
        {
            Assert.Equal(i, doc.RootElement[i].GetProperty("id").GetInt32());
            Assert.Equal(1000, doc.RootElement[i].GetProperty("result").GetInt32());
        }
    }

    [Fact]
    public async Task Health_and_metrics_report_the_chain()
    {
        string health = await _http.GetStringAsync(new Uri(_node.Server.BaseUri, "/health"));
        using (var doc = JsonDocument.Parse(health)) Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        string metrics = await _http.GetStringAsync(new Uri(_node.Server.BaseUri, "/metrics"));
        Assert.Contains("# TYPE mes_height gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("mes_shard_records{shard=\"3\"}", metrics, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^mes_mempool_txs \d+$", metrics);
        Assert.Matches(@"(?m)^mes_proposal_tx_limit [1-9]\d*$", metrics);
        Assert.Matches(@"(?m)^mes_admission_queue \d+$", metrics);
        Assert.Matches(@"(?m)^mes_block_signatures_verified_total \d+$", metrics);
        // An undecodable transaction is refused by the mempool and counted under its code.
        await ErrorOfAsync("mes_sendRawTransaction", "[\"0102\"]");
        metrics = await _http.GetStringAsync(new Uri(_node.Server.BaseUri, "/metrics"));
        Assert.Matches(@"(?m)^mes_mempool_refused_total\{code=""decode""\} [1-9]\d*$", metrics);
        Assert.Matches(@"(?m)^mes_gc_collections_total\{generation=""2""\} \d+$", metrics);
        Assert.Matches(@"(?m)^mes_gc_allocated_bytes_total [1-9]\d*(E\+\d+)?$", metrics);
        Assert.Matches(@"(?m)^mes_process_working_set_bytes [1-9]", metrics);
    }

    [Fact]
    public async Task Websocket_subscribers_receive_new_heads_until_they_unsubscribe()
    {
        using var ws = new ClientWebSocket();
        var uri = new UriBuilder(_node.Server.BaseUri) { Scheme = "ws", Path = "/ws" }.Uri;
        await ws.ConnectAsync(uri, CancellationToken.None);
        await SendAsync(ws, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mes_subscribe\",\"params\":[\"newHeads\"]}");
        using var reply = JsonDocument.Parse(await ReceiveAsync(ws));
        string id = reply.RootElement.GetProperty("result").GetString()!;
        using var head = JsonDocument.Parse(await ReceiveAsync(ws));
        Assert.Equal("mes_subscription", head.RootElement.GetProperty("method").GetString());
        Assert.Equal(id, head.RootElement.GetProperty("params").GetProperty("subscription").GetString());
        Assert.True(head.RootElement.GetProperty("params").GetProperty("result").GetProperty("height").GetInt64() > 0);
        await SendAsync(ws, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"mes_subscribe\",\"params\":[\"gossip\"]}");
        await SendAsync(ws, $"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"mes_unsubscribe\",\"params\":[\"{id}\"]}}");
        bool sawBadTopic = false, sawUnsubscribed = false;
        for (int i = 0; i < 20 && !(sawBadTopic && sawUnsubscribed); i++)
        {
            using var m = JsonDocument.Parse(await ReceiveAsync(ws));
            if (m.RootElement.TryGetProperty("id", out var mid) && mid.ValueKind == JsonValueKind.Number)
            {
                if (mid.GetInt32() == 2) sawBadTopic = m.RootElement.GetProperty("error").GetProperty("code").GetInt32() == -32602;
                if (mid.GetInt32() == 3) sawUnsubscribed = m.RootElement.GetProperty("result").GetBoolean();
            }
        }
        Assert.True(sawBadTopic && sawUnsubscribed);
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        int length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ValueWebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
