namespace MesFast.Node.Rpc;

/// <summary>A JSON-RPC error to return to the caller (PROTOCOL §8 codes).</summary>
internal sealed class RpcException(int code, string message, string? data = null) : Exception(message)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int Internal = -32603;
    public const int TransactionRejected = -32000;
    public const int TooLarge = -32005;

    public int Code { get; } = code;

    public string? ErrorData { get; } = data;
}
