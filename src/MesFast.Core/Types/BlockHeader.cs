using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>An owned block header (DESIGN §4); layout in <see cref="HeaderView"/>. Always encodes version 1.</summary>
public sealed record BlockHeader
{
    public uint ChainId { get; init; }
    public ulong Height { get; init; }
    /// <summary>Proposal time, Unix milliseconds.</summary>
    public ulong TimeMs { get; init; }
    public uint Epoch { get; init; }
    /// <summary>SPBFT view (round) in which the block was proposed.</summary>
    public uint View { get; init; }
    public Hash32 Prev { get; init; }
    public Hash32 TxRoot { get; init; }
    public Hash32 StateRoot { get; init; }
    public Hash32 WitnessSetHash { get; init; }
    /// <summary>Index of the proposing witness in the epoch's witness list.</summary>
    public ushort Proposer { get; init; }
    /// <summary>Witness count N for the next epoch (DEC, DESIGN §6).</summary>
    public ushort NextWitnessCount { get; init; }
    /// <summary>Hash of the commit certificate carried in this block.</summary>
    public Hash32 LastCommitHash { get; init; }

    public static int EncodedLength => HeaderView.EncodedSize;

    public void WriteTo(ref CodecWriter writer)
    {
        writer.WriteU8(ProtocolLimits.Version);
        writer.WriteU32(ChainId);
        writer.WriteU64(Height);
        writer.WriteU64(TimeMs);
        writer.WriteU32(Epoch);
        writer.WriteU32(View);
        writer.WriteHash32(Prev);
        writer.WriteHash32(TxRoot);
        writer.WriteHash32(StateRoot);
        writer.WriteHash32(WitnessSetHash);
        writer.WriteU16(Proposer);
        writer.WriteU16(NextWitnessCount);
        writer.WriteHash32(LastCommitHash);
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
        int length = HeaderView.EncodedSize;
        Encode(output.GetSpan(length));
        output.Advance(length);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderView.EncodedSize];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Block hash = <c>H(header, header encoding)</c> (DESIGN §4).</summary>
    public Hash32 ComputeHash()
    {
        Span<byte> bytes = stackalloc byte[HeaderView.EncodedSize];
        Encode(bytes);
        return DomainHash.Compute(DomainHash.Header, bytes);
    }

    public static BlockHeader FromView(HeaderView view) => new()
    {
        ChainId = view.ChainId,
        Height = view.Height,
        TimeMs = view.TimeMs,
        Epoch = view.Epoch,
        View = view.View,
        Prev = view.Prev,
        TxRoot = view.TxRoot,
        StateRoot = view.StateRoot,
        WitnessSetHash = view.WitnessSetHash,
        Proposer = view.Proposer,
        NextWitnessCount = view.NextWitnessCount,
        LastCommitHash = view.LastCommitHash,
    };

    public static bool TryDecode(ReadOnlySpan<byte> encoding, [NotNullWhen(true)] out BlockHeader? header, out DecodeFailure failure)
    {
        header = HeaderView.TryDecode(encoding, out var view, out failure) ? FromView(view) : null;
        return header is not null;
    }
}
