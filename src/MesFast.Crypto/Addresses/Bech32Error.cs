namespace MesFast.Crypto;

/// <summary>
/// Why a string is not valid bech32m (BIP-173 rules with the BIP-350 checksum constant), or why a bit-group
/// conversion failed. One value per rule, so callers and tests can tell the failures apart; the human-readable
/// message, naming the character and position, comes from <see cref="Bech32m.Describe"/>.
/// </summary>
public enum Bech32Error
{
    None = 0,

    /// <summary>More than 90 characters (BIP-173).</summary>
    TooLong,

    /// <summary>No '1' separator in the string.</summary>
    MissingSeparator,

    /// <summary>The separator is the first character, so the human-readable part is empty.</summary>
    EmptyHrp,

    /// <summary>Human-readable part longer than 83 characters (only reachable when encoding; decoding hits <see cref="TooLong"/> first).</summary>
    HrpTooLong,

    /// <summary>A human-readable-part character outside US-ASCII 33–126.</summary>
    HrpCharacterOutOfRange,

    /// <summary>Fewer than 6 characters after the separator.</summary>
    ChecksumTooShort,

    /// <summary>Upper- and lowercase letters in the same string.</summary>
    MixedCase,

    /// <summary>A data-part character (before the checksum) not in the bech32 charset.</summary>
    InvalidDataCharacter,

    /// <summary>A character of the 6-character checksum not in the bech32 charset.</summary>
    InvalidChecksumCharacter,

    /// <summary>The checksum does not verify (neither as bech32m nor as bech32).</summary>
    ChecksumMismatch,

    /// <summary>The checksum verifies with the BIP-173 constant 1: a valid bech32 string, which is not bech32m.</summary>
    Bech32ChecksumNotBech32m,

    /// <summary>Bit conversion: an input value does not fit in the source group width.</summary>
    ValueOutOfRange,

    /// <summary>Bit conversion without padding: a whole group or more of leftover bits (non-canonical length).</summary>
    ExcessPadding,

    /// <summary>Bit conversion without padding: the leftover padding bits are not all zero.</summary>
    NonZeroPadding,
}
