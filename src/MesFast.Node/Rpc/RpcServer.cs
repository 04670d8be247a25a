using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MesFast.Node.Chain;

namespace MesFast.Node.Rpc;

/// <summary>
/// JSON-RPC 2.0 over Kestrel (PROTOCOL §8): <c>POST /rpc</c> (single or batch, body ≤ 1 MiB), <c>/ws</c>
/// subscriptions, <c>GET /health</c>, <c>GET /metrics</c>. JSON is read with JsonDocument and written with
/// Utf8JsonWriter: no reflection, NativeAOT-clean.
/// </summary>
internal sealed class RpcServer : IAsyncDisposable
{
    public const int MaxBodyBytes = 1 << 20;
    public const int MaxBatch = 1000;

    private readonly WebApplication _app;
    private readonly RpcMethods _methods;
    private readonly SubscriptionHub _hub;
    private readonly ChainService _chain;

    private RpcServer(WebApplication app, ChainService chain)
    {
        _app = app;
        _chain = chain;
        _methods = new RpcMethods(chain);
        _hub = new SubscriptionHub(chain);
    }

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<RpcServer> StartAsync(ChainService chain, string host, int port, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(options =>
        {
            var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
            options.Listen(address, port);
            options.Limits.MaxRequestBodySize = MaxBodyBytes + 1;
            options.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new RpcServer(app, chain);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapPost("/rpc", server.HandleRpcAsync);
        app.MapGet("/health", server.HandleHealthAsync);
        app.MapGet("/metrics", server.HandleMetricsAsync);
        app.Map("/ws", server._hub.HandleAsync);
        await app.StartAsync(cancellation).ConfigureAwait(false);
        string bound = app.Urls.First();
        server.BaseUri = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _hub.Dispose();
        // Idle keep-alive and WebSocket clients would hold a graceful stop for the host's default 30 s.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleRpcAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var output = JsonScratch.Rent();
        try
        {
            var writer = output.Writer;
            if (body is not { } read)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                WriteError(writer, null, new RpcException(RpcException.TooLarge, $"request body over {MaxBodyBytes} bytes"));
            }
            else
            {
                try
                {
                    await HandleBodyAsync(read.Buffer.AsMemory(0, read.Length), writer, context.RequestAborted).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(read.Buffer); // the parsed document is disposed by now
                }
            }
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (output.Written.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent; // only notifications
                return;
            }
            await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            output.Return();
        }
    }

    /// <summary>Parses a request or batch and writes the response(s); nothing at all for notifications only.</summary>
    internal async Task HandleBodyAsync(ReadOnlyMemory<byte> body, Utf8JsonWriter writer, CancellationToken cancellation)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            WriteError(writer, null, new RpcException(RpcException.ParseError, $"parse error: {e.Message}"));
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                int n = root.GetArrayLength();
                if (n == 0)
                {
                    WriteError(writer, null, new RpcException(RpcException.InvalidRequest, "empty batch"));
                    return;
                }
                if (n > MaxBatch)
                {
                    WriteError(writer, null, new RpcException(RpcException.InvalidRequest, $"batch of {n} calls; the limit is {MaxBatch}"));
                    return;
                }
                // The calls of a batch run concurrently (each into its own buffer) and are answered in order: a batch
                // of transactions then reaches the mempool together and is admitted (and signature-checked) as one.
                var calls = new Task<JsonScratch?>[n];
                int k = 0;
                foreach (var call in root.EnumerateArray()) calls[k++] = HandleCallBufferedAsync(call, cancellation);
                try
                {
                    await Task.WhenAll(calls).ConfigureAwait(false);
                    int answered = 0;
                    foreach (var task in calls) if (task.Result is not null) answered++;
                    if (answered == 0) return; // notifications only: no response at all
                    writer.WriteStartArray();
                    foreach (var task in calls)
                        if (task.Result is { } one) writer.WriteRawValue(one.Written, skipInputValidation: true);
                    writer.WriteEndArray();
                }
                finally
                {
                    foreach (var task in calls)
                        if (task.IsCompletedSuccessfully) task.Result?.Return();
                }
                return;
            }
            await HandleCallAsync(root, writer, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>One call of a batch into its own (pooled) buffer, flushed; null for a notification.</summary>
    private async Task<JsonScratch?> HandleCallBufferedAsync(JsonElement call, CancellationToken cancellation)
    {
        var scratch = JsonScratch.Rent();
        bool wrote = false;
        try
        {
            wrote = await HandleCallAsync(call, scratch.Writer, cancellation).ConfigureAwait(false);
            scratch.Writer.Flush();
            return wrote ? scratch : null;
        }
        finally
        {
            if (!wrote) scratch.Return();
        }
    }

    /// <summary>Handles one call object; returns false when it was a notification (no response written).</summary>
    private async Task<bool> HandleCallAsync(JsonElement call, Utf8JsonWriter writer, CancellationToken cancellation)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            WriteError(writer, null, new RpcException(RpcException.InvalidRequest, "a call is a JSON object"));
            return true;
        }
        JsonElement? id = call.TryGetProperty("id", out var idElement) ? idElement : null;
        if (id is { } i && i.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            WriteError(writer, null, new RpcException(RpcException.InvalidRequest, "id must be a string, a number or null"));
            return true;
        }
        if (!call.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            WriteError(writer, id, new RpcException(RpcException.InvalidRequest, "jsonrpc must be \"2.0\""));
            return true;
        }
        if (!call.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            WriteError(writer, id, new RpcException(RpcException.InvalidRequest, "method must be a string"));
            return true;
        }
        string method = methodElement.GetString()!;
        JsonElement? parameters = null;
        if (call.TryGetProperty("params", out var p))
        {
            if (p.ValueKind == JsonValueKind.Array) parameters = p;
            else if (p.ValueKind != JsonValueKind.Null)
            {
                WriteError(writer, id, new RpcException(RpcException.InvalidParams, "params must be an array (positional parameters)"));
                return true;
            }
        }
        bool notification = id is null;
        var result = JsonScratch.Rent();
        try
        {
            try
            {
                await _methods.WriteResultAsync(method, new RpcParams(parameters, method), result.Writer, cancellation).ConfigureAwait(false);
                result.Writer.Flush();
            }
            catch (RpcException e)
            {
                if (!notification) WriteError(writer, id, e);
                return !notification;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                if (!notification) WriteError(writer, id, new RpcException(RpcException.Internal, $"internal error: {e.Message}"));
                return !notification;
            }
            if (notification) return false;
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            id!.Value.WriteTo(writer);
            writer.WritePropertyName("result");
            writer.WriteRawValue(result.Written, skipInputValidation: true);
            writer.WriteEndObject();
            return true;
        }
        finally
        {
            result.Return();
        }
    }

    internal static void WriteError(Utf8JsonWriter writer, JsonElement? id, RpcException error)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id is { } i) i.WriteTo(writer);
        else writer.WriteNullValue();
        writer.WriteStartObject("error");
        writer.WriteNumber("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.ErrorData is not null) writer.WriteString("data", error.ErrorData);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads the body up to the limit into a buffer from <see cref="ArrayPool{T}.Shared"/> (the caller returns it);
    /// null when it is larger. Pooled because a batch of transactions is tens of kilobytes per call, and growing a
    /// fresh stream for each was a tenth of a busy node's allocations.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)?> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        long? declared = request.ContentLength;
        if (declared > MaxBodyBytes) return null;
        // One byte over the declared length: the read that finds the end then needs no larger buffer.
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min((declared ?? 16 * 1024) + 1, MaxBodyBytes + 1));
        int length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > MaxBodyBytes) break;
                if (length == buffer.Length)
                {
                    // Below the limit and full: grow (at most to one byte over the limit, which detects a larger body).
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        catch (BadHttpRequestException)
        {
            length = MaxBodyBytes + 1; // Kestrel's own body limit
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length <= MaxBodyBytes) return (buffer, length);
        ArrayPool<byte>.Shared.Return(buffer);
        return null;
    }

    private async Task HandleHealthAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"status\":\"ok\",\"height\":{_chain.FinalHeight}}}", context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleMetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4";
        await context.Response.WriteAsync(PrometheusText.Render(_chain), context.RequestAborted).ConfigureAwait(false);
    }
}
