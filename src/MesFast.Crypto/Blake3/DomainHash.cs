using System.Buffers.Binary;

namespace MesFast.Crypto;

/// <summary>
/// Domain-separated hashing (DESIGN §2): <c>H(tag, bytes)</c> is BLAKE3 in derive-key mode with context
/// <c>"mes/&lt;tag&gt;/v1"</c>. Each tag's context key is derived once, so a tagged hash costs the same as a plain one.
/// </summary>
public static class DomainHash
{
    public static readonly Blake3Key Tx = ForTag("tx");
    public static readonly Blake3Key Header = ForTag("header");
    public static readonly Blake3Key MerkleLeaf = ForTag("merkle-leaf");
    public static readonly Blake3Key MerkleNode = ForTag("merkle-node");
    public static readonly Blake3Key Vote = ForTag("vote");
    public static readonly Blake3Key Addr = ForTag("addr");
    public static readonly Blake3Key Asset = ForTag("asset");
    public static readonly Blake3Key Ssa = ForTag("ssa");

    /// <summary>The mode for a tag: context <c>"mes/{tag}/v1"</c>.</summary>
    public static Blake3Key ForTag(string tag) => Blake3Key.DeriveKey($"mes/{tag}/v1");

    /// <summary><c>H(domain, bytes)</c>, 32 bytes.</summary>
    public static Hash32 Compute(in Blake3Key domain, ReadOnlySpan<byte> bytes) => Blake3.Hash(domain, bytes);

    /// <summary>The first 8 bytes of <c>H(domain, bytes)</c> as a little-endian integer (SSA placement, DESIGN §7).</summary>
    public static ulong Compute64(in Blake3Key domain, ReadOnlySpan<byte> bytes)
    {
        Span<byte> h = stackalloc byte[8];
        Blake3.Hash(domain, bytes, h);
        return BinaryPrimitives.ReadUInt64LittleEndian(h);
    }
}
