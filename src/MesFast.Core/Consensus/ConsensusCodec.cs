using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Codec;
using MesFast.Core.Types;

namespace MesFast.Core.Consensus;

/// <summary>
/// Wire encoding of consensus messages (PROTOCOL §10.4), little-endian, canonical (one encoding per message, decode
/// then encode gives back the input). <c>u8 tag</c> then:
/// <code>
/// 1 PrePrepare  u64 height ‖ u32 view ‖ u16 proposer ‖ bytes block
/// 2 Vote        u8 phase ‖ u64 height ‖ u32 view ‖ Hash32 block ‖ u16 witness ‖ Sig64
/// 3 ViewChange  ViewChangeBody
/// 4 NewView     u64 height ‖ u32 view ‖ u16 proposer ‖ varint n ‖ n × ViewChangeBody ‖ bytes block ‖ Sig64
/// ViewChangeBody = u64 height ‖ u32 newView ‖ u16 witness ‖ u8 flags [bit 0 certificate, bit 1 block]
///                  ‖ [certificate (commit-certificate layout, Prepare votes)] ‖ [bytes block] ‖ Sig64
/// </code>
/// Limits: whole message ≤ <see cref="MaxMessageBytes"/>, witness indices and n &lt; / ≤ MaxWitnessCount, blocks ≤
/// MaxBlockBytes; a block flag without a certificate flag, undefined flag bits, tags or phases are rejected.
/// Decoding never throws.
/// </summary>
public static class ConsensusCodec
{
    public const byte PrePrepareTag = 1;
    public const byte VoteTag = 2;
    public const byte ViewChangeTag = 3;
    public const byte NewViewTag = 4;

    /// <summary>Largest consensus message: a full block plus room for ViewChanges with certificates (about 100 witnesses).</summary>
    public const int MaxMessageBytes = ProtocolLimits.MaxBlockBytes + 12 * 1024 * 1024;

    private const byte HasCertificate = 1;
    private const byte HasBlock = 2;
    private const int VoteSize = 1 + 1 + 8 + 4 + 32 + 2 + Signature64.Size;

    public static int EncodedLength(ConsensusMessage message) => message switch
    {
        PrePrepareMessage p => 1 + 8 + 4 + 2 + BytesLength(p.Block),
        VoteMessage => VoteSize,
        ViewChangeMessage c => 1 + BodyLength(c),
        NewViewMessage n => 1 + 8 + 4 + 2 + Varint.SizeOf(n.ViewChanges.Length) + BodiesLength(n.ViewChanges) + BytesLength(n.Block) + Signature64.Size,
        _ => throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message)),
    };

    public static byte[] Encode(ConsensusMessage message)
    {
        var bytes = new byte[EncodedLength(message)];
        var writer = new CodecWriter(bytes);
        switch (message)
        {
            case PrePrepareMessage p:
                writer.WriteU8(PrePrepareTag);
                writer.WriteU64(p.Height);
                writer.WriteU32(p.View);
                writer.WriteU16(WitnessIndex(p.Proposer));
                writer.WriteLengthPrefixed(p.Block);
                break;
            case VoteMessage { Vote: var v }:
                writer.WriteU8(VoteTag);
                writer.WriteU8((byte)v.Phase);
                writer.WriteU64(v.Height);
                writer.WriteU32(v.View);
                writer.WriteHash32(v.Block);
                writer.WriteU16(WitnessIndex(v.Witness));
                writer.WriteBytes(v.Signature.Span);
                break;
            case ViewChangeMessage c:
                writer.WriteU8(ViewChangeTag);
                WriteBody(ref writer, c);
                break;
            case NewViewMessage n:
                writer.WriteU8(NewViewTag);
                writer.WriteU64(n.Height);
                writer.WriteU32(n.View);
                writer.WriteU16(WitnessIndex(n.Proposer));
                writer.WriteVarint(n.ViewChanges.Length);
                foreach (var c in n.ViewChanges) WriteBody(ref writer, c);
                writer.WriteLengthPrefixed(n.Block);
                writer.WriteBytes(n.Signature.Span);
                break;
        }
        return bytes;
    }

    /// <summary>Decodes exactly one message; false with the first error on any malformed input, never an exception.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, [NotNullWhen(true)] out ConsensusMessage? message, out DecodeFailure failure)
    {
        message = null;
        var reader = new CodecReader(encoding);
        if (encoding.Length > MaxMessageBytes)
        {
            reader.Fail(DecodeError.TooLarge, 0);
            failure = reader.Failure;
            return false;
        }
        reader.At("tag");
        bool ok = reader.TryReadU8(out byte tag) && tag switch
        {
            PrePrepareTag => TryReadPrePrepare(ref reader, out message),
            VoteTag => TryReadVote(ref reader, out message),
            ViewChangeTag => TryReadBody(ref reader, out var change) && (message = change) is not null,
            NewViewTag => TryReadNewView(ref reader, out message),
            _ => reader.Fail(DecodeError.UnknownKind, 0),
        };
        ok = ok && reader.TryReadEnd();
        failure = reader.Failure;
        if (!ok) message = null;
        return ok;
    }

    private static bool TryReadPrePrepare(ref CodecReader reader, out ConsensusMessage? message)
    {
        message = null;
        if (!TryReadHeightViewIndex(ref reader, "proposer", out ulong height, out uint view, out int proposer)) return false;
        if (!TryReadBlock(ref reader, out var block)) return false;
        message = new PrePrepareMessage(height, view, proposer, block);
        return true;
    }

    private static bool TryReadVote(ref CodecReader reader, out ConsensusMessage? message)
    {
        message = null;
        reader.At("phase");
        int phaseAt = reader.Offset;
        if (!reader.TryReadU8(out byte phase)) return false;
        if (phase is not ((byte)VotePhase.Prepare or (byte)VotePhase.Commit)) return reader.Fail(DecodeError.UnknownKind, phaseAt);
        reader.At("height");
        if (!reader.TryReadU64(out ulong height)) return false;
        reader.At("view");
        if (!reader.TryReadU32(out uint view)) return false;
        reader.At("block");
        if (!reader.TryReadHash32(out var block)) return false;
        if (!TryReadIndex(ref reader, "witness", out int witness)) return false;
        if (!TryReadSignature(ref reader, out var signature)) return false;
        message = new VoteMessage(new Vote((VotePhase)phase, height, view, block, witness, signature));
        return true;
    }

    private static bool TryReadNewView(ref CodecReader reader, out ConsensusMessage? message)
    {
        message = null;
        if (!TryReadHeightViewIndex(ref reader, "proposer", out ulong height, out uint view, out int proposer)) return false;
        reader.At("viewChanges");
        if (!reader.TryReadCount(ProtocolLimits.MaxWitnessCount, out int count)) return false;
        var changes = new ViewChangeMessage[count];
        for (int i = 0; i < count; i++)
        {
            reader.Within("viewChanges", i);
            if (!TryReadBody(ref reader, out var change)) return false;
            changes[i] = change!;
        }
        reader.Within(null);
        if (!TryReadBlock(ref reader, out var block)) return false;
        if (!TryReadSignature(ref reader, out var signature)) return false;
        message = new NewViewMessage(height, view, proposer, changes, block, signature);
        return true;
    }

    private static bool TryReadBody(ref CodecReader reader, out ViewChangeMessage? change)
    {
        change = null;
        if (!TryReadHeightViewIndex(ref reader, "witness", out ulong height, out uint newView, out int witness)) return false;
        reader.At("flags");
        int flagsAt = reader.Offset;
        if (!reader.TryReadU8(out byte flags)) return false;
        if ((flags & ~(HasCertificate | HasBlock)) != 0 || flags == HasBlock) return reader.Fail(DecodeError.InvalidFlags, flagsAt);
        CommitCertificate? prepared = null;
        byte[]? block = null;
        if ((flags & HasCertificate) != 0)
        {
            if (!CommitCertView.TryRead(ref reader, out var view)) return false;
            prepared = CommitCertificate.FromView(view);
        }
        if ((flags & HasBlock) != 0 && !TryReadBlock(ref reader, out block)) return false;
        if (!TryReadSignature(ref reader, out var signature)) return false;
        change = new ViewChangeMessage(height, newView, witness, prepared, block, signature);
        return true;
    }

    private static bool TryReadHeightViewIndex(ref CodecReader reader, string indexName, out ulong height, out uint view, out int index)
    {
        view = 0;
        index = 0;
        reader.At("height");
        if (!reader.TryReadU64(out height)) return false;
        reader.At("view");
        if (!reader.TryReadU32(out view)) return false;
        return TryReadIndex(ref reader, indexName, out index);
    }

    private static bool TryReadIndex(ref CodecReader reader, string name, out int index)
    {
        index = 0;
        reader.At(name);
        int at = reader.Offset;
        if (!reader.TryReadU16(out ushort raw)) return false;
        if (raw >= ProtocolLimits.MaxWitnessCount) return reader.Fail(DecodeError.IndexOverLimit, at);
        index = raw;
        return true;
    }

    private static bool TryReadBlock(ref CodecReader reader, [NotNullWhen(true)] out byte[]? block)
    {
        block = null;
        reader.At("block");
        if (!reader.TryReadLength(ProtocolLimits.MaxBlockBytes, out int length) || !reader.TryReadBytes(length, out var bytes)) return false;
        block = bytes.ToArray();
        return true;
    }

    private static bool TryReadSignature(ref CodecReader reader, out Signature64 signature)
    {
        signature = default;
        reader.At("signature");
        if (!reader.TryReadBytes(Signature64.Size, out var bytes)) return false;
        signature = new Signature64(bytes);
        return true;
    }

    private static void WriteBody(ref CodecWriter writer, ViewChangeMessage change)
    {
        if (change.PreparedBlock is not null && change.Prepared is null) throw new ArgumentException("a prepared block needs its certificate", nameof(change));
        writer.WriteU64(change.Height);
        writer.WriteU32(change.NewView);
        writer.WriteU16(WitnessIndex(change.Witness));
        writer.WriteU8((byte)((change.Prepared is null ? 0 : HasCertificate) | (change.PreparedBlock is null ? 0 : HasBlock)));
        change.Prepared?.WriteTo(ref writer);
        if (change.PreparedBlock is not null) writer.WriteLengthPrefixed(change.PreparedBlock);
        writer.WriteBytes(change.Signature.Span);
    }

    private static int BodyLength(ViewChangeMessage change) =>
        8 + 4 + 2 + 1 + (change.Prepared?.EncodedLength ?? 0)
        + (change.PreparedBlock is null ? 0 : BytesLength(change.PreparedBlock)) + Signature64.Size;

    private static int BodiesLength(ViewChangeMessage[] changes)
    {
        int total = 0;
        foreach (var change in changes) total += BodyLength(change);
        return total;
    }

    private static int BytesLength(byte[] bytes) => Varint.SizeOf(bytes.Length) + bytes.Length;

    private static ushort WitnessIndex(int index) =>
        (uint)index < ProtocolLimits.MaxWitnessCount ? (ushort)index : throw new ArgumentOutOfRangeException(nameof(index), index, "witness index out of range");
}
