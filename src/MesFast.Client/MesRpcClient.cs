using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MesFast.Crypto;

namespace MesFast.Client;

/// <summary>
/// Typed JSON-RPC client for a MesFast node (PROTOCOL §8). Requests are written with Utf8JsonWriter and replies
/// read with JsonDocument (NativeAOT: no reflection). Node errors raise <see cref="MesRpcException"/>; transport
/// failures raise <see cref="HttpRequestException"/> with the endpoint in the message.
/// </summary>
public sealed class MesRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public MesRpcClient(Uri endpoint, HttpClient? http = null)
    {
        Endpoint = endpoint;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Endpoint { get; }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    public async Task<uint> ChainIdAsync(CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_chainId", static _ => { }, cancellation).ConfigureAwait(false);
        return result.RootElement.GetUInt32();
    }

    public async Task<ulong> BlockNumberAsync(CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_blockNumber", static _ => { }, cancellation).ConfigureAwait(false);
        return result.RootElement.GetUInt64();
    }

    /// <summary>The block object as JSON text (null when absent).</summary>
    public async Task<string?> GetBlockByHeightAsync(ulong height, bool full = false, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getBlockByHeight", w => { w.WriteNumberValue(height); w.WriteBooleanValue(full); }, cancellation).ConfigureAwait(false);
        return result.RootElement.ValueKind == JsonValueKind.Null ? null : result.RootElement.GetRawText();
    }

    public async Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellation = default)
    {
        string hex = Convert.ToHexStringLower(raw.Span);
        using var result = await CallAsync("mes_sendRawTransaction", w => w.WriteStringValue(hex), cancellation).ConfigureAwait(false);
        return Hash32.Parse(result.RootElement.GetString()!);
    }

    public async Task<TransactionInfo?> GetTransactionAsync(Hash32 txid, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getTransaction", w => w.WriteStringValue(txid.ToString()), cancellation).ConfigureAwait(false);
        var e = result.RootElement;
        if (e.ValueKind == JsonValueKind.Null) return null;
        var outputs = new List<(Hash32, ulong, string)>();
        foreach (var o in e.GetProperty("outputs").EnumerateArray())
            outputs.Add((Hash32.Parse(o.GetProperty("asset").GetString()!), ParseUnits(o.GetProperty("amount")), o.GetProperty("owner").GetString()!));
        return new TransactionInfo(
            Hash32.Parse(e.GetProperty("txid").GetString()!),
            e.GetProperty("kind").GetString()!,
            e.GetProperty("status").GetString()!,
            e.GetProperty("height").ValueKind == JsonValueKind.Number ? e.GetProperty("height").GetUInt64() : null,
            e.GetProperty("blockHash").ValueKind == JsonValueKind.String ? e.GetProperty("blockHash").GetString() : null,
            e.GetProperty("index").ValueKind == JsonValueKind.Number ? e.GetProperty("index").GetInt32() : null,
            e.GetProperty("fee").ValueKind == JsonValueKind.String ? ParseUnits(e.GetProperty("fee")) : null,
            e.GetProperty("size").GetInt32(),
            outputs,
            e.GetProperty("raw").GetString()!);
    }

    public async Task<ulong> GetBalanceAsync(string address, Hash32? asset = null, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getBalance", w =>
        {
            w.WriteStringValue(address);
            if (asset is { } a) w.WriteStringValue(a.ToString());
        }, cancellation).ConfigureAwait(false);
        return ParseUnits(result.RootElement);
    }

    public async Task<IReadOnlyList<UtxoInfo>> GetUtxosAsync(string address, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getUtxos", w => w.WriteStringValue(address), cancellation).ConfigureAwait(false);
        var list = new List<UtxoInfo>();
        foreach (var u in result.RootElement.EnumerateArray())
            list.Add(new UtxoInfo(Hash32.Parse(u.GetProperty("txid").GetString()!), u.GetProperty("index").GetUInt16(),
                Hash32.Parse(u.GetProperty("asset").GetString()!), ParseUnits(u.GetProperty("amount")),
                u.GetProperty("owner").GetString()!, u.GetProperty("height").GetUInt64()));
        return list;
    }

    public async Task<AssetInfo?> GetAssetAsync(Hash32 id, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getAsset", w => w.WriteStringValue(id.ToString()), cancellation).ConfigureAwait(false);
        var e = result.RootElement;
        if (e.ValueKind == JsonValueKind.Null) return null;
        return new AssetInfo(Hash32.Parse(e.GetProperty("id").GetString()!), e.GetProperty("name").GetString()!, e.GetProperty("symbol").GetString()!,
            e.GetProperty("decimals").GetInt32(), ParseUnits(e.GetProperty("supply")),
            e.GetProperty("issuer").ValueKind == JsonValueKind.String ? e.GetProperty("issuer").GetString() : null,
            Hash32.Parse(e.GetProperty("txid").GetString()!), e.GetProperty("height").GetUInt64());
    }

    /// <summary>The proof object as JSON text (null when the transaction is not final).</summary>
    public async Task<string?> GetProofAsync(Hash32 txid, CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_getProof", w => w.WriteStringValue(txid.ToString()), cancellation).ConfigureAwait(false);
        return result.RootElement.ValueKind == JsonValueKind.Null ? null : result.RootElement.GetRawText();
    }

    public async Task<FeeEstimate> EstimateFeeAsync(CancellationToken cancellation = default)
    {
        using var result = await CallAsync("mes_estimateFee", static _ => { }, cancellation).ConfigureAwait(false);
        return new FeeEstimate(ParseUnits(result.RootElement.GetProperty("minFeePerByte")), ParseUnits(result.RootElement.GetProperty("suggestedFeePerByte")));
    }

    /// <summary>Performs one call and returns its <c>result</c> as a document (the caller disposes it).</summary>
    public async Task<JsonDocument> CallAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellation = default)
    {
        long id = Interlocked.Increment(ref _nextId);
        var body = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            w.WriteStartArray("params");
            writeParams(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        using var content = new ByteArrayContent(body.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(Endpoint, content, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"cannot reach the node at {Endpoint}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new HttpRequestException($"the node at {Endpoint} did not answer in time", e);
        }
        using (response)
        {
            byte[] reply = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(reply);
            }
            catch (JsonException)
            {
                throw new HttpRequestException($"the node at {Endpoint} answered HTTP {(int)response.StatusCode} without JSON-RPC");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new HttpRequestException($"unexpected reply from {Endpoint}");
                if (root.TryGetProperty("error", out var error))
                {
                    string? data = error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    throw new MesRpcException(error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString() ?? "", data);
                }
                if (!root.TryGetProperty("result", out var result)) throw new HttpRequestException($"reply from {Endpoint} has neither result nor error");
                return JsonDocument.Parse(result.GetRawText());
            }
        }
    }

    private static ulong ParseUnits(JsonElement e) => ulong.Parse(e.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
}
