using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>
/// An owned commit certificate (DESIGN §4); layout in <see cref="CommitCertView"/>. <see cref="Signers"/> has one
/// entry per witness of the epoch; <see cref="Signatures"/> holds one signature per true entry, in witness order.
/// The encoder does not check that the counts agree: bytes of a certificate where they differ do not decode.
/// </summary>
public sealed class CommitCertificate
{
    public ulong Height { get; init; }
    public uint View { get; init; }
    /// <summary>Hash of the certified block.</summary>
    public Hash32 Block { get; init; }
    public bool[] Signers { get; init; } = [];
    public Signature64[] Signatures { get; init; } = [];

    public int EncodedLength =>
        8 + 4 + Hash32.Size + Varint.SizeOf(Signers.Length) + CommitCertView.BitmapBytes(Signers.Length)
        + Varint.SizeOf(Signatures.Length) + Signatures.Length * Signature64.Size;

    public void WriteTo(ref CodecWriter writer)
    {
        writer.WriteU64(Height);
        writer.WriteU32(View);
        writer.WriteHash32(Block);
        writer.WriteVarint(Signers.Length);
        for (int byteIndex = 0; byteIndex < CommitCertView.BitmapBytes(Signers.Length); byteIndex++)
        {
            byte packed = 0;
            for (int bit = 0; bit < 8; bit++)
            {
                int witness = byteIndex * 8 + bit;
                if (witness < Signers.Length && Signers[witness]) packed |= (byte)(1 << bit);
            }
            writer.WriteU8(packed);
        }
        writer.WriteVarint(Signatures.Length);
        foreach (var signature in Signatures) writer.WriteBytes(signature.Span);
    }

    public int Encode(Span<byte> destination)
    {
        var writer = new CodecWriter(destination);
        WriteTo(ref writer);
        return writer.Offset;
    }

    /// <summary>Appends the encoding to a buffer writer.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        int length = EncodedLength;
        Encode(output.GetSpan(length));
        output.Advance(length);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        Encode(bytes);
        return bytes;
    }

    public static CommitCertificate FromView(CommitCertView view)
    {
        var signers = new bool[view.SignerBitCount];
        for (int i = 0; i < signers.Length; i++) signers[i] = view.IsSigner(i);
        var signatures = new Signature64[view.SignatureCount];
        for (int k = 0; k < signatures.Length; k++) signatures[k] = new Signature64(view.Signature(k));
        return new CommitCertificate { Height = view.Height, View = view.View, Block = view.Block, Signers = signers, Signatures = signatures };
    }

    public static bool TryDecode(ReadOnlySpan<byte> encoding, [NotNullWhen(true)] out CommitCertificate? certificate, out DecodeFailure failure)
    {
        certificate = CommitCertView.TryDecode(encoding, out var view, out failure) ? FromView(view) : null;
        return certificate is not null;
    }
}
