using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace MesFast.Network.Framing;

/// <summary>
/// Cuts frames out of a connection's byte stream. Never throws on peer data: a malformed frame is reported as a
/// <see cref="FrameError"/> and the caller drops the peer.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Tries to take one frame from the front of <paramref name="buffer"/>. Returns true with the frame (and the
    /// buffer advanced past it), false when more bytes are needed (error None) or the frame is malformed (error set).
    /// The payload is copied into <paramref name="payload"/>, a pooled array the caller returns with
    /// <see cref="ArrayPool{T}.Return"/>; <paramref name="length"/> is the payload length.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out FrameType type, out byte[] payload, out int length, out FrameError error)
    {
        type = default;
        payload = [];
        length = 0;
        error = FrameError.None;
        if (buffer.Length < FrameLimits.HeaderSize) return false;
        Span<byte> header = stackalloc byte[FrameLimits.HeaderSize];
        buffer.Slice(0, FrameLimits.HeaderSize).CopyTo(header);
        uint frameLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
        byte typeByte = header[4];
        byte flags = header[5];
        if (frameLength < 2) { error = FrameError.TooShort; return false; }
        // Compressed payloads carry a 4-byte length, and LZ4 can expand incompressible input slightly.
        if (frameLength - 2 > (uint)(FrameLimits.MaxPayloadBytes + 4 + (FrameLimits.MaxPayloadBytes / 255) + 16))
        {
            error = FrameError.TooLarge;
            return false;
        }
        if (!FrameTypes.IsDefined(typeByte)) { error = FrameError.UnknownType; return false; }
        if ((flags & ~FrameLimits.FlagLz4) != 0) { error = FrameError.UnknownFlags; return false; }
        if (buffer.Length < 4 + (long)frameLength) return false;

        int wireLength = (int)frameLength - 2;
        ReadOnlySequence<byte> body = buffer.Slice(FrameLimits.HeaderSize, wireLength);
        if ((flags & FrameLimits.FlagLz4) == 0)
        {
            if (wireLength > FrameLimits.MaxPayloadBytes) { error = FrameError.TooLarge; return false; }
            payload = ArrayPool<byte>.Shared.Rent(Math.Max(wireLength, 1));
            body.CopyTo(payload);
            length = wireLength;
        }
        else if (!TryDecompress(body, out payload, out length, out error))
        {
            return false;
        }
        type = (FrameType)typeByte;
        buffer = buffer.Slice(4 + (long)frameLength);
        return true;
    }

    private static bool TryDecompress(ReadOnlySequence<byte> body, out byte[] payload, out int length, out FrameError error)
    {
        payload = [];
        length = 0;
        if (body.Length < 4) { error = FrameError.BadCompression; return false; }
        Span<byte> rawLengthBytes = stackalloc byte[4];
        body.Slice(0, 4).CopyTo(rawLengthBytes);
        uint rawLength = BinaryPrimitives.ReadUInt32LittleEndian(rawLengthBytes);
        if (rawLength > FrameLimits.MaxPayloadBytes) { error = FrameError.TooLarge; return false; }
        int compressedLength = (int)body.Length - 4;
        byte[] compressed = ArrayPool<byte>.Shared.Rent(Math.Max(compressedLength, 1));
        byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max((int)rawLength, 1));
        try
        {
            body.Slice(4).CopyTo(compressed);
            int decoded = LZ4Codec.Decode(compressed, 0, compressedLength, raw, 0, (int)rawLength);
            if (decoded != (int)rawLength)
            {
                ArrayPool<byte>.Shared.Return(raw);
                error = FrameError.BadCompression;
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
        payload = raw;
        length = (int)rawLength;
        error = FrameError.None;
        return true;
    }
}
