namespace MesFast.Client;

/// <summary>A JSON-RPC error from the node (code, message, optional machine-readable data such as a rejection code).</summary>
public sealed class MesRpcException(int code, string message, string? errorData) : Exception(message)
{
    public int Code { get; } = code;

    public string? ErrorData { get; } = errorData;
}
