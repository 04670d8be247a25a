namespace MesFast.Network.Framing;

/// <summary>Why a frame was rejected. Any of these from a peer drops that peer.</summary>
public enum FrameError : byte
{
    None = 0,
    TooLarge,
    TooShort,
    UnknownType,
    UnknownFlags,
    BadCompression,
}
