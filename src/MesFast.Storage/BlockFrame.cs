using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using MesFast.Crypto;

namespace MesFast.Storage;

/// <summary>
/// One block in the block log: <c>magic u32 ‖ height u64 ‖ blockHash 32 ‖ rawLength u32 ‖ format u8 ‖ payload</c>,
/// payload = LZ4 block of the encoding (format 1) or the encoding itself when LZ4 does not shrink it (format 0).
/// </summary>
internal static class BlockFrame
{
    public const uint Magic = 0x424D_4553; // "SEMB" little-endian: MES Block
    public const int HeaderSize = 4 + 8 + 32 + 4 + 1;
    private const byte Raw = 0, Lz4 = 1;

    /// <summary>Encodes a frame into a pooled array; the caller returns it to ArrayPool.Shared.</summary>
    public static byte[] Encode(ulong height, in Hash32 blockHash, ReadOnlySpan<byte> block, out int length)
    {
        int bound = HeaderSize + Math.Max(LZ4Codec.MaximumOutputSize(block.Length), block.Length);
        byte[] frame = ArrayPool<byte>.Shared.Rent(bound);
        var span = frame.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], height);
        blockHash.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], block.Length);
        int compressed = block.Length == 0 ? -1 : LZ4Codec.Encode(block, span[HeaderSize..], LZ4Level.L00_FAST);
        if (compressed > 0 && compressed < block.Length)
        {
            span[48] = Lz4;
            length = HeaderSize + compressed;
        }
        else
        {
            span[48] = Raw;
            block.CopyTo(span[HeaderSize..]);
            length = HeaderSize + block.Length;
        }
        return frame;
    }

    /// <summary>Reads a frame's header fields; false when the bytes are not a well-formed frame.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> frame, out ulong height, out Hash32 blockHash, out int rawLength)
    {
        height = 0;
        blockHash = default;
        rawLength = 0;
        if (frame.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic || frame[48] > Lz4) return false;
        height = BinaryPrimitives.ReadUInt64LittleEndian(frame[4..]);
        blockHash = new Hash32(frame.Slice(12, 32));
        rawLength = BinaryPrimitives.ReadInt32LittleEndian(frame[44..]);
        return rawLength >= 0 && rawLength <= MesFast.Core.ProtocolLimits.MaxBlockBytes;
    }

    /// <summary>Decodes the block encoding of a frame; null when the frame is damaged.</summary>
    public static byte[]? TryDecodeBlock(ReadOnlySpan<byte> frame)
    {
        if (!TryReadHeader(frame, out _, out _, out int rawLength)) return null;
        var payload = frame[HeaderSize..];
        if (frame[48] == Raw) return payload.Length == rawLength ? payload.ToArray() : null;
        var block = new byte[rawLength];
        int decoded = LZ4Codec.Decode(payload, block);
        return decoded == rawLength ? block : null;
    }
}
