using System.Text;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Network.Messages;

/// <summary>
/// Payload codecs of the small peer-to-peer frames (PROTOCOL §9.3). Every TryDecode returns false on malformed
/// input and never throws.
/// </summary>
public static class PeerMessages
{
    /// <summary>Most addresses in one Peers frame.</summary>
    public const int MaxPeerAddresses = 64;

    /// <summary>Longest "host:port" text.</summary>
    public const int MaxAddressBytes = 255;

    /// <summary>Most blocks in one Blocks reply (and asked for by one GetBlocks).</summary>
    public const int MaxBlocksPerReply = 64;

    /// <summary>Byte budget of one Blocks reply (blocks are added while they fit).</summary>
    public const int MaxBlocksReplyBytes = 8 * 1024 * 1024;

    public static byte[] EncodeU64(ulong value)
    {
        var bytes = new byte[8];
        new CodecWriter(bytes).WriteU64(value);
        return bytes;
    }

    public static bool TryDecodeU64(ReadOnlySpan<byte> bytes, out ulong value)
    {
        var r = new CodecReader(bytes);
        return r.TryReadU64(out value) & r.TryReadEnd();
    }

    /// <summary>Peers: <c>varint count ‖ count × (varint length ‖ UTF-8 "host:port")</c>.</summary>
    public static byte[] EncodePeers(IReadOnlyList<string> addresses)
    {
        int count = Math.Min(addresses.Count, MaxPeerAddresses);
        var buffer = new byte[5 + (count * (5 + MaxAddressBytes))];
        var w = new CodecWriter(buffer);
        int written = 0;
        for (int i = 0; i < count; i++) if (Encoding.UTF8.GetByteCount(addresses[i]) <= MaxAddressBytes) written++;
        w.WriteVarint(written);
        for (int i = 0; i < count; i++)
        {
            byte[] text = Encoding.UTF8.GetBytes(addresses[i]);
            if (text.Length <= MaxAddressBytes) w.WriteLengthPrefixed(text);
        }
        return buffer.AsSpan(0, w.Offset).ToArray();
    }

    public static bool TryDecodePeers(ReadOnlySpan<byte> bytes, List<string> addresses)
    {
        var r = new CodecReader(bytes);
        if (!r.TryReadCount(MaxPeerAddresses, out int count)) return false;
        for (int i = 0; i < count; i++)
        {
            if (!r.TryReadLength(MaxAddressBytes, out int length) || !r.TryReadBytes(length, out ReadOnlySpan<byte> text)) return false;
            if (!PeerAddress.TryParse(Encoding.UTF8.GetString(text), out _, out _)) return false;
            addresses.Add(Encoding.UTF8.GetString(text));
        }
        return r.TryReadEnd();
    }

    /// <summary>Most transactions in one Transactions frame.</summary>
    public const int MaxTransactionsPerFrame = 4096;

    /// <summary>Transactions: <c>varint n ‖ n × (varint length ‖ transaction)</c>.</summary>
    public static byte[] EncodeTransactions(List<byte[]> transactions)
    {
        int size = 5;
        foreach (byte[] tx in transactions) size += 5 + tx.Length;
        var buffer = new byte[size];
        var w = new CodecWriter(buffer);
        w.WriteVarint(transactions.Count);
        foreach (byte[] tx in transactions) w.WriteLengthPrefixed(tx);
        return buffer.AsSpan(0, w.Offset).ToArray();
    }

    /// <summary>Most transaction ids in one TxAnnounce or GetTransactions frame.</summary>
    public const int MaxTxIdsPerFrame = 4096;

    /// <summary>TxAnnounce and GetTransactions: <c>varint n ‖ n × Hash32</c> (gossip ids of transactions).</summary>
    public static byte[] EncodeTxIds(ReadOnlySpan<Hash32> ids)
    {
        var buffer = new byte[5 + (ids.Length * Hash32.Size)];
        var w = new CodecWriter(buffer);
        w.WriteVarint(ids.Length);
        foreach (var id in ids) w.WriteHash32(id);
        return buffer.AsSpan(0, w.Offset).ToArray();
    }

    public static bool TryDecodeTxIds(ReadOnlySpan<byte> bytes, List<Hash32> ids)
    {
        var r = new CodecReader(bytes);
        if (!r.TryReadCount(MaxTxIdsPerFrame, out int count)) return false;
        for (int i = 0; i < count; i++)
        {
            if (!r.TryReadHash32(out Hash32 id)) return false;
            ids.Add(id);
        }
        return r.TryReadEnd();
    }

    /// <summary>Reads one length-prefixed transaction at <paramref name="offset"/> and moves past it.</summary>
    public static bool TryReadTransaction(ReadOnlySpan<byte> bytes, scoped ref int offset, out ReadOnlySpan<byte> transaction)
    {
        transaction = default;
        var r = new CodecReader(bytes[offset..]);
        if (!r.TryReadLength(Core.ProtocolLimits.MaxTxBytes, out int length) || !r.TrySkip(length)) return false;
        transaction = bytes.Slice(offset + r.Offset - length, length);
        offset += r.Offset;
        return true;
    }

    /// <summary>Status: <c>u64 finalizedHeight ‖ Hash32 finalizedHash</c>.</summary>
    public static byte[] EncodeStatus(ulong height, in Hash32 hash)
    {
        var bytes = new byte[8 + Hash32.Size];
        var w = new CodecWriter(bytes);
        w.WriteU64(height);
        w.WriteHash32(hash);
        return bytes;
    }

    public static bool TryDecodeStatus(ReadOnlySpan<byte> bytes, out ulong height, out Hash32 hash)
    {
        var r = new CodecReader(bytes);
        hash = default;
        return r.TryReadU64(out height) & r.TryReadHash32(out hash) && r.TryReadEnd();
    }

    /// <summary>GetBlocks: <c>u64 fromHeight ‖ u16 maxCount</c> (maxCount 1 … <see cref="MaxBlocksPerReply"/>).</summary>
    public static byte[] EncodeGetBlocks(ulong from, int max)
    {
        var bytes = new byte[10];
        var w = new CodecWriter(bytes);
        w.WriteU64(from);
        w.WriteU16((ushort)max);
        return bytes;
    }

    public static bool TryDecodeGetBlocks(ReadOnlySpan<byte> bytes, out ulong from, out int max)
    {
        var r = new CodecReader(bytes);
        max = 0;
        if (!r.TryReadU64(out from) || !r.TryReadU16(out ushort m) || !r.TryReadEnd()) return false;
        max = m;
        return m is >= 1 and <= MaxBlocksPerReply;
    }

    /// <summary>One final block with its commit certificate: <c>varint length ‖ block ‖ varint length ‖ certificate</c>.</summary>
    public static int FinalBlockSize(int blockLength, int certificateLength) => 5 + blockLength + 5 + certificateLength;

    public static void WriteFinalBlock(ref CodecWriter w, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate)
    {
        w.WriteLengthPrefixed(block);
        w.WriteLengthPrefixed(certificate);
    }

    public static byte[] EncodeFinalBlock(ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate)
    {
        // Exact size: a block is up to megabytes, so no second copy to trim a worst-case buffer.
        var buffer = new byte[CodecWriter.VarintSize((uint)block.Length) + block.Length + CodecWriter.VarintSize((uint)certificate.Length) + certificate.Length];
        var w = new CodecWriter(buffer);
        WriteFinalBlock(ref w, block, certificate);
        return buffer;
    }

    /// <summary>Reads one final block at <paramref name="offset"/> of <paramref name="bytes"/> and moves the offset past it.</summary>
    public static bool TryReadFinalBlock(ReadOnlySpan<byte> bytes, scoped ref int offset, out ReadOnlySpan<byte> block, out ReadOnlySpan<byte> certificate)
    {
        block = default;
        certificate = default;
        var r = new CodecReader(bytes[offset..]);
        if (!r.TryReadLength(Core.ProtocolLimits.MaxBlockBytes, out int blockLength) || !r.TrySkip(blockLength)) return false;
        int blockStart = offset + r.Offset - blockLength;
        if (!r.TryReadLength(Core.ProtocolLimits.MaxBlockBytes, out int certLength) || !r.TrySkip(certLength)) return false;
        int certStart = offset + r.Offset - certLength;
        block = bytes.Slice(blockStart, blockLength);
        certificate = bytes.Slice(certStart, certLength);
        offset += r.Offset;
        return true;
    }

    public static bool TryDecodeFinalBlock(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> block, out ReadOnlySpan<byte> certificate)
    {
        int offset = 0;
        return TryReadFinalBlock(bytes, ref offset, out block, out certificate) && offset == bytes.Length;
    }
}
