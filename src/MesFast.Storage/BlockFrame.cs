using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using MesFast.Crypto;

namespace MesFast.Storage;

/// <summary>
/// One block in the block log, with the commit certificate that made it final:
/// <c>magic u32 ‖ height u64 ‖ blockHash 32 ‖ rawLength u32 ‖ format u8 ‖ certificateLength u32 ‖ certificate ‖ payload</c>,
/// payload = LZ4 block of the encoding (format 1) or the encoding itself when LZ4 does not shrink it (format 0).
/// The certificate is inside the frame so that one log entry makes block and proof durable together: the log can be
/// committed at any moment from any thread and its tip is always certified. Frames of the first layout
/// (<see cref="MagicWithoutCertificate"/>: no certificate fields) are still read.
/// </summary>
internal static class BlockFrame
{
    public const uint Magic = 0x434D_4553; // "SEMC" little-endian: MES block with Certificate
    public const uint MagicWithoutCertificate = 0x424D_4553; // "SEMB": the first layout
    private const int CommonHeaderSize = 4 + 8 + 32 + 4 + 1;
    private const int FormatAt = 48;
    private const byte Raw = 0, Lz4 = 1;

    /// <summary>Largest certificate a frame accepts (a certificate of the largest witness set is far smaller).</summary>
    public const int MaxCertificateBytes = 64 * 1024;

    /// <summary>Encodes a frame into a pooled array; the caller returns it to ArrayPool.Shared.</summary>
    public static byte[] Encode(ulong height, in Hash32 blockHash, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate, out int length)
    {
        if (certificate.Length > MaxCertificateBytes) throw new ArgumentException($"a certificate of {certificate.Length} bytes", nameof(certificate));
        int payloadAt = CommonHeaderSize + 4 + certificate.Length;
        int bound = payloadAt + Math.Max(LZ4Codec.MaximumOutputSize(block.Length), block.Length);
        byte[] frame = ArrayPool<byte>.Shared.Rent(bound);
        var span = frame.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], height);
        blockHash.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], block.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[CommonHeaderSize..], certificate.Length);
        certificate.CopyTo(span[(CommonHeaderSize + 4)..]);
        int compressed = block.Length == 0 ? -1 : LZ4Codec.Encode(block, span[payloadAt..], LZ4Level.L00_FAST);
        if (compressed > 0 && compressed < block.Length)
        {
            span[FormatAt] = Lz4;
            length = payloadAt + compressed;
        }
        else
        {
            span[FormatAt] = Raw;
            block.CopyTo(span[payloadAt..]);
            length = payloadAt + block.Length;
        }
        return frame;
    }

    /// <summary>Reads a frame's header fields; false when the bytes are not a well-formed frame.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> frame, out ulong height, out Hash32 blockHash, out int rawLength) =>
        TryReadHeader(frame, out height, out blockHash, out rawLength, out _, out _);

    /// <summary>
    /// The certificate stored with the block: its encoding, an empty array for a frame of the first layout, or null
    /// when the frame is damaged.
    /// </summary>
    public static byte[]? TryReadCertificate(ReadOnlySpan<byte> frame) =>
        TryReadHeader(frame, out _, out _, out _, out var certificate, out _) ? certificate.ToArray() : null;

    /// <summary>Decodes the block encoding of a frame; null when the frame is damaged.</summary>
    public static byte[]? TryDecodeBlock(ReadOnlySpan<byte> frame)
    {
        if (!TryReadHeader(frame, out _, out _, out int rawLength, out _, out int payloadAt)) return null;
        var payload = frame[payloadAt..];
        if (frame[FormatAt] == Raw) return payload.Length == rawLength ? payload.ToArray() : null;
        var block = new byte[rawLength];
        int decoded = LZ4Codec.Decode(payload, block);
        return decoded == rawLength ? block : null;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> frame, out ulong height, out Hash32 blockHash, out int rawLength,
        out ReadOnlySpan<byte> certificate, out int payloadAt)
    {
        height = 0;
        blockHash = default;
        rawLength = 0;
        certificate = default;
        payloadAt = CommonHeaderSize;
        if (frame.Length < CommonHeaderSize || frame[FormatAt] > Lz4) return false;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (magic == Magic)
        {
            if (frame.Length < CommonHeaderSize + 4) return false;
            int certificateLength = BinaryPrimitives.ReadInt32LittleEndian(frame[CommonHeaderSize..]);
            if (certificateLength < 0 || certificateLength > MaxCertificateBytes || frame.Length < CommonHeaderSize + 4 + certificateLength) return false;
            certificate = frame.Slice(CommonHeaderSize + 4, certificateLength);
            payloadAt = CommonHeaderSize + 4 + certificateLength;
        }
        else if (magic != MagicWithoutCertificate)
        {
            return false;
        }
        height = BinaryPrimitives.ReadUInt64LittleEndian(frame[4..]);
        blockHash = new Hash32(frame.Slice(12, 32));
        rawLength = BinaryPrimitives.ReadInt32LittleEndian(frame[44..]);
        return rawLength >= 0 && rawLength <= MesFast.Core.ProtocolLimits.MaxBlockBytes;
    }
}
