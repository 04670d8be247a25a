namespace MesFast.Crypto;

/// <summary>One-shot BLAKE3 (BLAKE3 spec): hash, keyed hash, derive-key, with outputs of any length.</summary>
public static class Blake3
{
    public const int OutLength = Blake3Constants.OutLength;
    public const int KeyLength = Blake3Constants.KeyLength;
    public const int BlockLength = Blake3Constants.BlockLength;
    public const int ChunkLength = Blake3Constants.ChunkLength;

    /// <summary>The 32-byte BLAKE3 hash of <paramref name="input"/>.</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> input) => Hash(Blake3Key.Hash, input);

    /// <summary>Fills <paramref name="output"/> (any length) with the BLAKE3 output stream of <paramref name="input"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) => Hash(Blake3Key.Hash, input, output);

    /// <summary>Keyed hash (32-byte key) into <paramref name="output"/> of any length.</summary>
    public static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
        => Hash(Blake3Key.Keyed(key), input, output);

    /// <summary>Derive-key mode: key material hashed under a context string, output of any length.</summary>
    public static void DeriveKey(string context, ReadOnlySpan<byte> keyMaterial, Span<byte> output)
        => Hash(Blake3Key.DeriveKey(context), keyMaterial, output);

    /// <summary>The 32-byte hash of <paramref name="input"/> in the given mode.</summary>
    public static Hash32 Hash(in Blake3Key mode, ReadOnlySpan<byte> input)
    {
        if (input.Length <= ChunkLength) return Blake3SingleChunk.Hash(mode, input);
        var hasher = new Blake3Hasher(mode);
        hasher.Update(input);
        return hasher.Finalize();
    }

    /// <summary>Output bytes <c>[seek, seek + output.Length)</c> of the output stream of <paramref name="input"/> in the given mode.</summary>
    public static void Hash(in Blake3Key mode, ReadOnlySpan<byte> input, Span<byte> output, ulong seek = 0)
    {
        if (input.Length <= ChunkLength)
        {
            Blake3SingleChunk.Output(mode, input).RootBytes(seek, output);
            return;
        }
        var hasher = new Blake3Hasher(mode);
        hasher.Update(input);
        hasher.FinalizeSeek(seek, output);
    }
}
