using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Network.Handshake;

/// <summary>
/// First frame on a connection, sent by both sides at once (PROTOCOL §9.2):
/// <c>u32 magic ‖ u16 protocolVersion ‖ u32 chainId ‖ Hash32 genesisHash ‖ PubKey32 nodeKey ‖ 32-byte nonce ‖
/// u16 listenPort ‖ u64 tipHeight</c>. The nonce is the challenge the other side must sign.
/// </summary>
public sealed record HelloMessage(uint ChainId, Hash32 GenesisHash, Hash32 NodeKey, Hash32 Nonce, ushort ListenPort, ulong TipHeight)
{
    /// <summary>"MESP" little-endian: rejects a stray client (HTTP, another protocol) at the first frame.</summary>
    public const uint Magic = 0x5053454D;

    public const ushort ProtocolVersion = 1;

    public const int EncodedSize = 4 + 2 + 4 + 32 + 32 + 32 + 2 + 8;

    public byte[] Encode()
    {
        var bytes = new byte[EncodedSize];
        var w = new CodecWriter(bytes);
        w.WriteU32(Magic);
        w.WriteU16(ProtocolVersion);
        w.WriteU32(ChainId);
        w.WriteHash32(GenesisHash);
        w.WriteHash32(NodeKey);
        w.WriteHash32(Nonce);
        w.WriteU16(ListenPort);
        w.WriteU64(TipHeight);
        return bytes;
    }

    /// <summary>Decodes a Hello; false with a reason for anything malformed (wrong magic/version, wrong length).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out HelloMessage? hello, out string error)
    {
        hello = null;
        var r = new CodecReader(bytes);
        if (!r.TryReadU32(out uint magic) || magic != Magic) { error = "not a MesFast peer (bad magic)"; return false; }
        if (!r.TryReadU16(out ushort version) || version != ProtocolVersion) { error = $"unsupported protocol version {version}"; return false; }
        if (!r.TryReadU32(out uint chainId) || !r.TryReadHash32(out Hash32 genesis) || !r.TryReadHash32(out Hash32 nodeKey)
            || !r.TryReadHash32(out Hash32 nonce) || !r.TryReadU16(out ushort port) || !r.TryReadU64(out ulong tip) || !r.TryReadEnd())
        {
            error = "malformed hello";
            return false;
        }
        hello = new HelloMessage(chainId, genesis, nodeKey, nonce, port, tip);
        error = "";
        return true;
    }
}
