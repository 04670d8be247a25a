using System.Buffers.Binary;
using System.Numerics;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// A decoded commit certificate (DESIGN §4): proof that 2f+1 witnesses signed Commit for a block. Layout:
/// <code>
/// u64 height ‖ u32 view ‖ Hash32 block
/// ‖ varint signerBits ‖ ⌈signerBits/8⌉ bytes bitmap     signerBits ≤ MaxWitnessCount
/// ‖ varint nSig ‖ nSig × Sig64                           nSig = popcount(bitmap)
/// </code>
/// Bit <c>i</c> (witness <c>i</c> of the epoch) is bit <c>i mod 8</c> (least significant first) of byte <c>i / 8</c>.
/// The unused high bits of the last byte must be zero, so each signer set has one encoding. Signature <c>k</c>
/// belongs to the <c>k</c>-th set bit in ascending order.
/// </summary>
public readonly ref struct CommitCertView
{
    private const int FixedPrefixSize = 8 + 4 + Hash32.Size;

    private readonly int _bitmapAt;
    private readonly int _signaturesAt;

    private CommitCertView(ReadOnlySpan<byte> bytes, int signerBitCount, int bitmapAt, int signatureCount, int signaturesAt)
    {
        Bytes = bytes;
        SignerBitCount = signerBitCount;
        _bitmapAt = bitmapAt;
        SignatureCount = signatureCount;
        _signaturesAt = signaturesAt;
    }

    /// <summary>The certificate's whole encoding.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ulong Height => BinaryPrimitives.ReadUInt64LittleEndian(Bytes);

    public uint View => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[8..]);

    /// <summary>Hash of the certified block.</summary>
    public Hash32 Block => new(Bytes.Slice(12, Hash32.Size));

    /// <summary>Width of the signer bitmap (the epoch's witness count).</summary>
    public int SignerBitCount { get; }

    /// <summary>The packed bitmap bytes.</summary>
    public ReadOnlySpan<byte> SignerBitmap => Bytes.Slice(_bitmapAt, BitmapBytes(SignerBitCount));

    /// <summary>Number of signatures = number of signers.</summary>
    public int SignatureCount { get; }

    public bool IsSigner(int witness)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)witness, (uint)SignerBitCount, nameof(witness));
        return (Bytes[_bitmapAt + (witness >> 3)] >> (witness & 7) & 1) != 0;
    }

    /// <summary>The k-th signature (of the k-th signer in ascending witness order).</summary>
    public ReadOnlySpan<byte> Signature(int k)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)k, (uint)SignatureCount, nameof(k));
        return Bytes.Slice(_signaturesAt + k * Signature64.Size, Signature64.Size);
    }

    internal static int BitmapBytes(int bits) => (bits + 7) >> 3;

    /// <summary>Decodes exactly one certificate.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out CommitCertView view, out DecodeFailure failure)
    {
        var reader = new CodecReader(encoding);
        bool ok = TryRead(ref reader, out view) && reader.TryReadEnd();
        failure = reader.Failure;
        if (!ok) view = default;
        return ok;
    }

    /// <summary>Reads a certificate at the reader's position.</summary>
    public static bool TryRead(scoped ref CodecReader reader, out CommitCertView view)
    {
        view = default;
        int start = reader.Offset;
        reader.At("height");
        if (!reader.TrySkip(8)) return false;
        reader.At("view");
        if (!reader.TrySkip(4)) return false;
        reader.At("block");
        if (!reader.TrySkip(Hash32.Size)) return false;

        reader.At("signers");
        if (!reader.TryReadCount(ProtocolLimits.MaxWitnessCount, out int bits)) return false;
        int bitmapAt = reader.Offset;
        if (!reader.TryReadBytes(BitmapBytes(bits), out var bitmap)) return false;
        int usedInLast = bits & 7;
        if (usedInLast != 0 && bitmap[^1] >> usedInLast != 0)
            return reader.Fail(DecodeError.NonZeroPadding, bitmapAt + bitmap.Length - 1);
        int signers = PopCount(bitmap);

        reader.At("signatures");
        int countAt = reader.Offset;
        if (!reader.TryReadCount(ProtocolLimits.MaxWitnessCount, out int signatureCount)) return false;
        if (signatureCount != signers) return reader.Fail(DecodeError.SignatureCountMismatch, countAt);
        int signaturesAt = reader.Offset;
        for (int k = 0; k < signatureCount; k++)
        {
            reader.At("signatures", k);
            if (!reader.TrySkip(Signature64.Size)) return false;
        }

        view = new CommitCertView(reader.Slice(start, reader.Offset - start), bits, bitmapAt - start, signatureCount,
            signaturesAt - start);
        return true;
    }

    private static int PopCount(ReadOnlySpan<byte> bitmap)
    {
        int count = 0;
        int i = 0;
        for (; i + 8 <= bitmap.Length; i += 8) count += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(bitmap[i..]));
        for (; i < bitmap.Length; i++) count += BitOperations.PopCount(bitmap[i]);
        return count;
    }
}
