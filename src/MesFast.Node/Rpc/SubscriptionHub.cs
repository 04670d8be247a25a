using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using MesFast.Node.Chain;

namespace MesFast.Node.Rpc;

/// <summary>
/// WebSocket subscriptions (<c>mes_subscribe ["newHeads"|"finalized"]</c>). Each connection has a bounded send
/// queue; a client too slow to drain it is disconnected, so publishing (on the chain thread) never waits.
/// With single-round finality a new head is final at once, so both topics fire for every block.
/// </summary>
internal sealed class SubscriptionHub : IDisposable
{
    private const int QueueLimit = 256;
    private const int MaxMessageBytes = 64 * 1024;

    private readonly ConcurrentDictionary<long, Connection> _connections = new();
    private readonly ChainService _chain;
    private long _nextConnection;
    private long _nextSubscription;

    public SubscriptionHub(ChainService chain)
    {
        _chain = chain;
        chain.BlockFinalized += Publish;
    }

    public void Dispose()
    {
        _chain.BlockFinalized -= Publish;
        foreach (var c in _connections.Values) c.Queue.Writer.TryComplete();
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("this endpoint speaks WebSocket", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new Connection(socket);
        long id = Interlocked.Increment(ref _nextConnection);
        _connections[id] = connection;
        var sender = SendLoopAsync(connection, context.RequestAborted);
        try
        {
            await ReceiveLoopAsync(connection, context.RequestAborted).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // the client went away
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _connections.TryRemove(id, out _);
            connection.Queue.Writer.TryComplete();
            await sender.ConfigureAwait(false);
        }
    }

    private void Publish(FinalizedBlock block)
    {
        if (_connections.IsEmpty) return;
        var head = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(head)) RpcJson.WriteBlock(w, block.Encoding, withTxs: false, fullTxs: false, _chain.Genesis.Hrp);
        foreach (var connection in _connections.Values)
        {
            foreach (var (subscription, topic) in connection.Subscriptions)
            {
                _ = topic;
                var message = new ArrayBufferWriter<byte>(head.WrittenCount + 128);
                using (var w = new Utf8JsonWriter(message))
                {
                    w.WriteStartObject();
                    w.WriteString("jsonrpc", "2.0");
                    w.WriteString("method", "mes_subscription");
                    w.WriteStartObject("params");
                    w.WriteString("subscription", subscription);
                    w.WritePropertyName("result");
                    w.WriteRawValue(head.WrittenSpan, skipInputValidation: true);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                if (!connection.Queue.Writer.TryWrite(message.WrittenMemory.ToArray()))
                {
                    connection.Queue.Writer.TryComplete(); // too slow: drop the client, never block the chain
                    connection.Socket.Abort();
                    break;
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(Connection connection, CancellationToken cancellation)
    {
        var buffer = new byte[MaxMessageBytes];
        while (connection.Socket.State == WebSocketState.Open)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await connection.Socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message over 64 KiB", cancellation).ConfigureAwait(false);
                    return;
                }
                result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return;
                length += result.Count;
            }
            while (!result.EndOfMessage);
            byte[] reply = Handle(connection, buffer.AsSpan(0, length));
            if (!connection.Queue.Writer.TryWrite(reply)) return;
        }
    }

    private byte[] Handle(Connection connection, ReadOnlySpan<byte> request)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using var w = new Utf8JsonWriter(output);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.ToArray());
        }
        catch (JsonException e)
        {
            RpcServer.WriteError(w, null, new RpcException(RpcException.ParseError, $"parse error: {e.Message}"));
            w.Flush();
            return output.WrittenSpan.ToArray();
        }
        using (document)
        {
            var root = document.RootElement;
            JsonElement? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var i) ? i : null;
            try
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
                    throw new RpcException(RpcException.InvalidRequest, "a call is an object with a string method");
                var p = new RpcParams(root.TryGetProperty("params", out var ps) && ps.ValueKind == JsonValueKind.Array ? ps : null, m.GetString()!);
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WritePropertyName("id");
                if (id is { } idValue) idValue.WriteTo(w);
                else w.WriteNullValue();
                w.WritePropertyName("result");
                switch (m.GetString())
                {
                    case "mes_subscribe":
                        p.ExpectAtMost(1);
                        string topic = p.Text(0, "topic");
                        if (topic is not ("newHeads" or "finalized"))
                            throw new RpcException(RpcException.InvalidParams, $"params[0] (topic): unknown topic '{topic}'; use newHeads or finalized");
                        string sid = "0x" + Interlocked.Increment(ref _nextSubscription).ToString("x", CultureInfo.InvariantCulture);
                        connection.Subscriptions[sid] = topic;
                        w.WriteStringValue(sid);
                        break;
                    case "mes_unsubscribe":
                        p.ExpectAtMost(1);
                        w.WriteBooleanValue(connection.Subscriptions.TryRemove(p.SubscriptionId(0), out _));
                        break;
                    default:
                        throw new RpcException(RpcException.MethodNotFound, $"method '{m.GetString()}' is not available over /ws; use POST /rpc");
                }
                w.WriteEndObject();
            }
            catch (RpcException e)
            {
                w.Reset();
                output.Clear();
                RpcServer.WriteError(w, id, e);
            }
        }
        w.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static async Task SendLoopAsync(Connection connection, CancellationToken cancellation)
    {
        try
        {
            await foreach (var message in connection.Queue.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
                await connection.Socket.SendAsync(message, WebSocketMessageType.Text, true, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away or was dropped
        }
    }

    private sealed class Connection(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;

        public Channel<byte[]> Queue { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueLimit) { SingleReader = true });

        public ConcurrentDictionary<string, string> Subscriptions { get; } = new();
    }
}
