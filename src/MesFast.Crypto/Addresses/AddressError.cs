namespace MesFast.Crypto;

/// <summary>
/// Why a string is not a valid address. The bech32m failures keep the values of <see cref="Bech32Error"/> (so a
/// decoder error converts by cast); the address rules (DESIGN §2) add the HRP and payload checks.
/// </summary>
public enum AddressError
{
    None = Bech32Error.None,
    TooLong = Bech32Error.TooLong,
    MissingSeparator = Bech32Error.MissingSeparator,
    EmptyHrp = Bech32Error.EmptyHrp,
    HrpTooLong = Bech32Error.HrpTooLong,
    HrpCharacterOutOfRange = Bech32Error.HrpCharacterOutOfRange,
    ChecksumTooShort = Bech32Error.ChecksumTooShort,
    MixedCase = Bech32Error.MixedCase,
    InvalidDataCharacter = Bech32Error.InvalidDataCharacter,
    InvalidChecksumCharacter = Bech32Error.InvalidChecksumCharacter,
    ChecksumMismatch = Bech32Error.ChecksumMismatch,
    Bech32ChecksumNotBech32m = Bech32Error.Bech32ChecksumNotBech32m,
    ValueOutOfRange = Bech32Error.ValueOutOfRange,

    /// <summary>The 5-bit data has a whole 5-bit group of padding: a non-canonical length.</summary>
    ExcessPadding = Bech32Error.ExcessPadding,

    /// <summary>The padding bits of the last 5-bit group are not zero (non-canonical: two strings for one address).</summary>
    NonZeroPadding = Bech32Error.NonZeroPadding,

    /// <summary>The string is valid bech32m but for another network (HRP differs from the expected one).</summary>
    WrongHrp = 100,

    /// <summary>The data decodes to a byte count other than 20.</summary>
    WrongPayloadLength,
}
