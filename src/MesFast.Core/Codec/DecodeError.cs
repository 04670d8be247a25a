namespace MesFast.Core.Codec;

/// <summary>Why a canonical encoding was rejected (DESIGN §2: strict decoding, precise reasons).</summary>
public enum DecodeError : byte
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The input ended inside a field.</summary>
    Truncated,
    /// <summary>Bytes remain after the object ended.</summary>
    TrailingBytes,
    /// <summary>A LEB128 varint was not in its shortest form (e.g. <c>80 00</c> for 0).</summary>
    NonMinimalVarint,
    /// <summary>A LEB128 varint exceeded 32 bits (or used more than 5 bytes).</summary>
    VarintOverflow,
    /// <summary>A version field other than <see cref="ProtocolLimits.Version"/>.</summary>
    UnknownVersion,
    /// <summary>A transaction kind outside <see cref="Types.TxKind"/>.</summary>
    UnknownKind,
    /// <summary>An array count above its protocol limit.</summary>
    CountOverLimit,
    /// <summary>A byte-string length above its protocol limit.</summary>
    LengthOverLimit,
    /// <summary>A whole object (tx, block) larger than its protocol limit.</summary>
    TooLarge,
    /// <summary>A signer bitmap whose unused high bits in the last byte are not zero (would make encodings non-canonical).</summary>
    NonZeroPadding,
    /// <summary>A commit certificate whose signature count differs from the number of signer bits set.</summary>
    SignatureCountMismatch,
    /// <summary>A witness index at or above <see cref="ProtocolLimits.MaxWitnessCount"/>.</summary>
    IndexOverLimit,
    /// <summary>A flags byte with undefined bits or a combination the format forbids.</summary>
    InvalidFlags,
}

/// <summary>Human-readable wording of <see cref="DecodeError"/> for messages.</summary>
public static class DecodeErrorText
{
    public static string Describe(DecodeError error) => error switch
    {
        DecodeError.None => "ok",
        DecodeError.Truncated => "truncated",
        DecodeError.TrailingBytes => "trailing bytes",
        DecodeError.NonMinimalVarint => "non-minimal varint",
        DecodeError.VarintOverflow => "varint overflows u32",
        DecodeError.UnknownVersion => "unknown version",
        DecodeError.UnknownKind => "unknown kind",
        DecodeError.CountOverLimit => "count over limit",
        DecodeError.LengthOverLimit => "length over limit",
        DecodeError.TooLarge => "too large",
        DecodeError.NonZeroPadding => "non-zero padding bits",
        DecodeError.SignatureCountMismatch => "signature count differs from signer count",
        DecodeError.IndexOverLimit => "index over limit",
        DecodeError.InvalidFlags => "invalid flags",
        _ => "unknown error",
    };
}
