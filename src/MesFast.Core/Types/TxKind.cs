namespace MesFast.Core.Types;

/// <summary>
/// Transaction kinds, in the order DESIGN §3 lists them; the byte value is the wire value. Any other byte is
/// rejected by the decoder (<see cref="Codec.DecodeError.UnknownKind"/>). New kinds are appended only.
/// </summary>
public enum TxKind : byte
{
    Transfer = 0,
    Stake = 1,
    Unstake = 2,
    ClaimRewards = 3,
    RegisterWitness = 4,
    IssueAsset = 5,
    Notarize = 6,
    RegisterWork = 7,
    TransferWork = 8,
    License = 9,
    CreateEvent = 10,
    BuyTicket = 11,
    RedeemTicket = 12,
    CreateAuction = 13,
    Bid = 14,
    SettleAuction = 15,
    PlaceOrder = 16,
    CancelOrder = 17,
}

/// <summary>Range facts about <see cref="TxKind"/>.</summary>
public static class TxKinds
{
    /// <summary>Number of defined kinds; valid wire values are 0 … Count − 1.</summary>
    public const int Count = 18;

    public static bool IsDefined(byte value) => value < Count;
}
