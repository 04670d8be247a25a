using System.Globalization;
using System.Net;

namespace MesFast.Network;

/// <summary>"host:port" addresses of peers (IPv4, [IPv6] or a DNS name).</summary>
public static class PeerAddress
{
    /// <summary>Splits "host:port"; false with nothing thrown for anything else (the text may come from a peer).</summary>
    public static bool TryParse(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 255) return false;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        string h = text[..colon];
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        if (h.Length == 0 || h.Contains(' ', StringComparison.Ordinal)) return false;
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535) return false;
        if (h.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(h, out _)) return false;
        host = h;
        port = p;
        return true;
    }

    public static string Format(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
