using System.Buffers.Binary;
using System.Text;

namespace MesFast.Crypto;

/// <summary>
/// A BLAKE3 mode: the key words and the domain flags every compression of the input uses.
/// Plain hashing uses the IV as key; keyed hashing a 32-byte key; derive-key mode the context key
/// (the hash of the context string), computed once here so that domain-separated hashing
/// (<c>H(tag, bytes)</c>, DESIGN §2) costs the same as plain hashing per call.
/// </summary>
public readonly struct Blake3Key
{
    internal readonly Blake3Words Words;
    internal readonly uint Flags;

    private Blake3Key(in Blake3Words words, uint flags)
    {
        Words = words;
        Flags = flags;
    }

    /// <summary>Plain hashing (no key).</summary>
    public static Blake3Key Hash { get; } = CreateHash();

    /// <summary>Keyed hashing with a 32-byte key.</summary>
    public static Blake3Key Keyed(ReadOnlySpan<byte> key)
    {
        if (key.Length != Blake3Constants.KeyLength)
            throw new ArgumentException($"a BLAKE3 key is {Blake3Constants.KeyLength} bytes, got {key.Length}", nameof(key));
        Blake3Words words = default;
        for (int i = 0; i < 8; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        return new Blake3Key(words, Blake3Constants.KeyedHash);
    }

    /// <summary>Derive-key mode for a context string (UTF-8), e.g. <c>"mes/tx/v1"</c>.</summary>
    public static Blake3Key DeriveKey(string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int max = Encoding.UTF8.GetMaxByteCount(context.Length);
        Span<byte> buffer = max <= 256 ? stackalloc byte[max] : new byte[max];
        int n = Encoding.UTF8.GetBytes(context, buffer);
        return DeriveKey(buffer[..n]);
    }

    /// <summary>Derive-key mode for a context given as raw bytes.</summary>
    public static Blake3Key DeriveKey(ReadOnlySpan<byte> context)
    {
        var contextHasher = new Blake3Hasher(new Blake3Key(IvWords(), Blake3Constants.DeriveKeyContext));
        contextHasher.Update(context);
        Span<byte> contextKey = stackalloc byte[Blake3Constants.KeyLength];
        contextHasher.Finalize(contextKey);
        Blake3Words words = default;
        for (int i = 0; i < 8; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(contextKey[(4 * i)..]);
        return new Blake3Key(words, Blake3Constants.DeriveKeyMaterial);
    }

    private static Blake3Key CreateHash() => new(IvWords(), 0);

    internal static Blake3Words IvWords()
    {
        Blake3Words w = default;
        w[0] = Blake3Constants.IV0; w[1] = Blake3Constants.IV1; w[2] = Blake3Constants.IV2; w[3] = Blake3Constants.IV3;
        w[4] = Blake3Constants.IV4; w[5] = Blake3Constants.IV5; w[6] = Blake3Constants.IV6; w[7] = Blake3Constants.IV7;
        return w;
    }
}
