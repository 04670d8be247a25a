using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace MesFast.Network.Framing;

/// <summary>
/// Encodes frames. A frame is encoded once into an immutable array and then queued to any number of peers
/// (gossip sends the same bytes everywhere).
/// </summary>
public static class FrameWriter
{
    /// <summary>
    /// <c>u32 length ‖ u8 type ‖ u8 flags ‖ payload</c>; payloads of at least <see cref="FrameLimits.CompressionThreshold"/>
    /// bytes are LZ4-compressed when that saves space.
    /// </summary>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="FrameLimits.MaxPayloadBytes"/> (a bug in the caller).</exception>
    public static byte[] Encode(FrameType type, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > FrameLimits.MaxPayloadBytes)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the frame limit", nameof(payload));
        // Lists of transaction ids are hashes: LZ4 would only spend time finding nothing to save.
        if (payload.Length >= FrameLimits.CompressionThreshold && type is not (FrameType.TxAnnounce or FrameType.GetTransactions))
        {
            byte[] compressed = new byte[FrameLimits.HeaderSize + 4 + LZ4Codec.MaximumOutputSize(payload.Length)];
            int written = LZ4Codec.Encode(payload, compressed.AsSpan(FrameLimits.HeaderSize + 4));
            if (written > 0 && written + 4 < payload.Length)
            {
                WriteHeader(compressed, type, FrameLimits.FlagLz4, 4 + written);
                BinaryPrimitives.WriteUInt32LittleEndian(compressed.AsSpan(FrameLimits.HeaderSize), (uint)payload.Length);
                return compressed.AsSpan(0, FrameLimits.HeaderSize + 4 + written).ToArray();
            }
        }
        byte[] frame = new byte[FrameLimits.HeaderSize + payload.Length];
        WriteHeader(frame, type, 0, payload.Length);
        payload.CopyTo(frame.AsSpan(FrameLimits.HeaderSize));
        return frame;
    }

    private static void WriteHeader(Span<byte> frame, FrameType type, byte flags, int bodyLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(bodyLength + 2));
        frame[4] = (byte)type;
        frame[5] = flags;
    }
}
