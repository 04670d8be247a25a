using MesFast.Core;

namespace MesFast.Network.Framing;

/// <summary>Sizes of the framing layer (PROTOCOL §9).</summary>
public static class FrameLimits
{
    /// <summary>u32 length (of everything after it) ‖ u8 type ‖ u8 flags.</summary>
    public const int HeaderSize = 6;

    /// <summary>
    /// Largest payload after decompression: a full block with its certificate, or a batch of synced blocks, plus
    /// headroom for consensus messages that carry a block and a quorum of signed votes.
    /// </summary>
    public const int MaxPayloadBytes = ProtocolLimits.MaxBlockBytes + (1 << 20);

    /// <summary>Payloads at least this long are sent LZ4-compressed when that makes them smaller.</summary>
    public const int CompressionThreshold = 1024;

    /// <summary>Flags bit 0: the payload is <c>u32 rawLength ‖ LZ4 block</c>.</summary>
    public const byte FlagLz4 = 0x01;
}
