using System.Buffers.Binary;
using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// A decoded block header (DESIGN §4) over its 193 fixed bytes; fields are read on access. Layout (offset: field):
/// <code>
///   0 u8 version(=1)   1 u32 chainId        5 u64 height          13 u64 timeMs
///  21 u32 epoch       25 u32 view          29 Hash32 prev         61 Hash32 txRoot
///  93 Hash32 stateRoot                    125 Hash32 witnessSetHash
/// 157 u16 proposer   159 u16 nextWitnessCount                    161 Hash32 lastCommitHash   (193 bytes)
/// </code>
/// </summary>
public readonly ref struct HeaderView
{
    public const int EncodedSize = 193;

    internal const int ChainIdAt = 1, HeightAt = 5, TimeMsAt = 13, EpochAt = 21, ViewAt = 25, PrevAt = 29, TxRootAt = 61,
        StateRootAt = 93, WitnessSetHashAt = 125, ProposerAt = 157, NextWitnessCountAt = 159, LastCommitHashAt = 161;

    private HeaderView(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    /// <summary>The header's encoding: the block hash preimage.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte Version => Bytes[0];

    public uint ChainId => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[ChainIdAt..]);

    public ulong Height => BinaryPrimitives.ReadUInt64LittleEndian(Bytes[HeightAt..]);

    /// <summary>Proposal time, Unix milliseconds.</summary>
    public ulong TimeMs => BinaryPrimitives.ReadUInt64LittleEndian(Bytes[TimeMsAt..]);

    public uint Epoch => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[EpochAt..]);

    /// <summary>SPBFT view (round) in which the block was proposed.</summary>
    public uint View => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[ViewAt..]);

    public Hash32 Prev => new(Bytes.Slice(PrevAt, Hash32.Size));

    public Hash32 TxRoot => new(Bytes.Slice(TxRootAt, Hash32.Size));

    public Hash32 StateRoot => new(Bytes.Slice(StateRootAt, Hash32.Size));

    public Hash32 WitnessSetHash => new(Bytes.Slice(WitnessSetHashAt, Hash32.Size));

    /// <summary>Index of the proposing witness in the epoch's witness list.</summary>
    public ushort Proposer => BinaryPrimitives.ReadUInt16LittleEndian(Bytes[ProposerAt..]);

    /// <summary>Witness count N for the next epoch (DEC, DESIGN §6).</summary>
    public ushort NextWitnessCount => BinaryPrimitives.ReadUInt16LittleEndian(Bytes[NextWitnessCountAt..]);

    /// <summary>Hash of the commit certificate carried in this block (of height − 1).</summary>
    public Hash32 LastCommitHash => new(Bytes.Slice(LastCommitHashAt, Hash32.Size));

    /// <summary>Block hash = <c>H(header, header encoding)</c> (DESIGN §4).</summary>
    public Hash32 ComputeHash() => DomainHash.Compute(DomainHash.Header, Bytes);

    /// <summary>Decodes exactly one header (193 bytes, version 1).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out HeaderView view, out DecodeFailure failure)
    {
        var reader = new CodecReader(encoding);
        bool ok = TryRead(ref reader, out view) && reader.TryReadEnd();
        failure = reader.Failure;
        if (!ok) view = default;
        return ok;
    }

    /// <summary>Reads a header at the reader's position.</summary>
    public static bool TryRead(scoped ref CodecReader reader, out HeaderView view)
    {
        view = default;
        int start = reader.Offset;
        reader.At("version");
        if (!reader.TryReadU8(out byte version)) return false;
        if (version != ProtocolLimits.Version) return reader.Fail(DecodeError.UnknownVersion, start);
        // Every other field is fixed-width with no invalid values; skip each by name for precise truncation errors.
        if (!Skip(ref reader, "chainId", 4) || !Skip(ref reader, "height", 8) || !Skip(ref reader, "timeMs", 8)
            || !Skip(ref reader, "epoch", 4) || !Skip(ref reader, "view", 4) || !Skip(ref reader, "prev", Hash32.Size)
            || !Skip(ref reader, "txRoot", Hash32.Size) || !Skip(ref reader, "stateRoot", Hash32.Size)
            || !Skip(ref reader, "witnessSetHash", Hash32.Size) || !Skip(ref reader, "proposer", 2)
            || !Skip(ref reader, "nextWitnessCount", 2) || !Skip(ref reader, "lastCommitHash", Hash32.Size))
            return false;
        view = new HeaderView(reader.Slice(start, EncodedSize));
        return true;
    }

    private static bool Skip(scoped ref CodecReader reader, string member, int size)
    {
        reader.At(member);
        return reader.TrySkip(size);
    }
}
