namespace MesFast.Network.Framing;

/// <summary>The type byte of a frame (PROTOCOL §9). Unknown values are a protocol violation.</summary>
public enum FrameType : byte
{
    Hello = 0x01,
    Auth = 0x02,
    Ping = 0x03,
    Pong = 0x04,
    GetPeers = 0x05,
    Peers = 0x06,
    Status = 0x07,
    Transaction = 0x10,
    FinalBlock = 0x11,
    Transactions = 0x12,
    TxAnnounce = 0x13,
    GetTransactions = 0x14,
    Consensus = 0x20,
    GetBlocks = 0x30,
    Blocks = 0x31,
}

/// <summary>Range facts about <see cref="FrameType"/>.</summary>
public static class FrameTypes
{
    public static bool IsDefined(byte value) => value switch
    {
        0x01 or 0x02 or 0x03 or 0x04 or 0x05 or 0x06 or 0x07 or 0x10 or 0x11 or 0x12 or 0x13 or 0x14 or 0x20 or 0x30 or 0x31 => true,
        _ => false,
    };
}
