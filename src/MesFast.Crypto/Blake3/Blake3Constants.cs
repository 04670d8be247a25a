namespace MesFast.Crypto;

/// <summary>Fixed parameters of BLAKE3 (BLAKE3 spec §2.1, table 1 and 3).</summary>
internal static class Blake3Constants
{
    public const int BlockLength = 64;
    public const int ChunkLength = 1024;
    public const int KeyLength = 32;
    public const int OutLength = 32;

    /// <summary>Deepest possible tree for inputs up to 2^64 bytes: 2^64 / 2^10 chunks = 2^54 leaves.</summary>
    public const int MaxDepth = 54;

    public const uint ChunkStart = 1 << 0;
    public const uint ChunkEnd = 1 << 1;
    public const uint Parent = 1 << 2;
    public const uint Root = 1 << 3;
    public const uint KeyedHash = 1 << 4;
    public const uint DeriveKeyContext = 1 << 5;
    public const uint DeriveKeyMaterial = 1 << 6;

    public const uint IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A;
    public const uint IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;
}
