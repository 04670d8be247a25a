namespace MesFast.Crypto;

/// <summary>The Ed25519 base point B (RFC 8032 §5.1) and its precomputed odd multiples, built once at start-up.</summary>
internal static class BasepointTable
{
    /// <summary>NAF width used for scalars multiplying B (2^(w-2) = 64 table entries).</summary>
    public const int Width = 8;

    /// <summary>Encoding of B: y = 4/5, x even.</summary>
    public static ReadOnlySpan<byte> Encoded =>
    [
        0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    ];

    public static readonly EdwardsPoint Basepoint = DecodeBasepoint();

    /// <summary>B, 3B, 5B, ..., 127B in affine Niels form (additions with them skip one multiplication).</summary>
    public static readonly AffineNielsPoint[] OddMultiples = BuildOddMultiples();

    private static EdwardsPoint DecodeBasepoint()
    {
        if (!EdwardsPoint.TryDecompressZip215(Encoded, out EdwardsPoint b))
            throw new InvalidOperationException("base point failed to decode");
        return b;
    }

    private static AffineNielsPoint[] BuildOddMultiples()
    {
        var table = new AffineNielsPoint[1 << (Width - 2)];
        EdwardsPoint b = Basepoint;
        ProjectiveNielsPoint b2 = b.Double().ToProjectiveNiels();
        EdwardsPoint current = b;
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = current.ToAffineNiels();
            current = EdwardsPoint.Add(current, b2).ToExtended();
        }
        return table;
    }
}
