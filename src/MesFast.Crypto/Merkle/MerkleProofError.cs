namespace MesFast.Crypto;

/// <summary>Why a byte string is not a canonical <see cref="MerkleProof"/> encoding.</summary>
public enum MerkleProofError
{
    None = 0,

    /// <summary>Fewer bytes than the 9-byte header or than the path length announces.</summary>
    Truncated,

    /// <summary>Bytes left after the last sibling hash.</summary>
    TrailingBytes,

    /// <summary>Leaf count above <see cref="int.MaxValue"/> (the largest tree this API can build).</summary>
    LeafCountTooLarge,

    /// <summary>Leaf index ≥ leaf count (including any index of an empty tree).</summary>
    IndexOutOfRange,

    /// <summary>The path length differs from the number of real siblings the leaf count and index imply.</summary>
    PathLengthMismatch,
}
