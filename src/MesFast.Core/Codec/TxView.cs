using System.Buffers.Binary;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// A decoded transaction (DESIGN §3) as offsets into its encoding: no copy, no allocation. Layout:
/// <code>
/// u8 version(=1) ‖ u32 chainId ‖ u8 kind ‖ u64 validUntil
/// ‖ varint nIn  ‖ nIn  × (Hash32 txid ‖ u16 index)                 nIn  ≤ MaxInputs
/// ‖ varint nOut ‖ nOut × (Hash32 asset ‖ u64 amount ‖ Addr20 owner) nOut ≤ MaxOutputs
/// ‖ varint payloadLength ‖ payload                                 ≤ MaxPayloadBytes
/// ‖ varint nWit ‖ nWit × (PubKey32 ‖ Sig64)                         nWit ≤ MaxWitnesses
/// </code>
/// The whole encoding is ≤ <see cref="ProtocolLimits.MaxTxBytes"/>. Duplicate inputs are NOT a codec error: they are
/// well-formed bytes, and rejecting them needs a set (an allocation) on the hot decode path; the ledger rejects them.
/// </summary>
public readonly ref struct TxView
{
    /// <summary>Bytes before the input count: version, chainId, kind, validUntil.</summary>
    internal const int FixedPrefixSize = 1 + 4 + 1 + 8;

    private readonly int _inputsAt;
    private readonly int _outputsAt;
    private readonly int _payloadAt;
    private readonly int _witnessCountAt;
    private readonly int _witnessesAt;

    private TxView(ReadOnlySpan<byte> bytes, int inputCount, int inputsAt, int outputCount, int outputsAt,
        int payloadAt, int payloadLength, int witnessCountAt, int witnessCount, int witnessesAt)
    {
        Bytes = bytes;
        InputCount = inputCount;
        _inputsAt = inputsAt;
        OutputCount = outputCount;
        _outputsAt = outputsAt;
        _payloadAt = payloadAt;
        PayloadLength = payloadLength;
        _witnessCountAt = witnessCountAt;
        WitnessCount = witnessCount;
        _witnessesAt = witnessesAt;
    }

    /// <summary>The transaction's whole encoding.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte Version => Bytes[0];

    public uint ChainId => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[1..]);

    public TxKind Kind => (TxKind)Bytes[5];

    /// <summary>Last height at which the transaction may be included.</summary>
    public ulong ValidUntil => BinaryPrimitives.ReadUInt64LittleEndian(Bytes[6..]);

    public int InputCount { get; }

    public int OutputCount { get; }

    public int PayloadLength { get; }

    public int WitnessCount { get; }

    /// <summary>The kind-specific payload bytes.</summary>
    public ReadOnlySpan<byte> Payload => Bytes.Slice(_payloadAt, PayloadLength);

    /// <summary>
    /// The encoding without the Witness[] section (DESIGN §3: <c>txid = H(tx, encoding without Witness[])</c>). The
    /// witnesses are last, so this is the prefix that ends just before the witness count.
    /// </summary>
    public ReadOnlySpan<byte> UnsignedBytes => Bytes[.._witnessCountAt];

    public TxInput Input(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)InputCount, nameof(i));
        var item = Bytes.Slice(_inputsAt + i * TxInput.EncodedSize, TxInput.EncodedSize);
        return new TxInput(new Hash32(item[..Hash32.Size]), BinaryPrimitives.ReadUInt16LittleEndian(item[Hash32.Size..]));
    }

    public TxOutput Output(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)OutputCount, nameof(i));
        var item = Bytes.Slice(_outputsAt + i * TxOutput.EncodedSize, TxOutput.EncodedSize);
        return new TxOutput(
            new Hash32(item[..Hash32.Size]),
            BinaryPrimitives.ReadUInt64LittleEndian(item[Hash32.Size..]),
            new Address(item[(Hash32.Size + 8)..]));
    }

    public TxWitnessView Witness(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)WitnessCount, nameof(i));
        var item = Bytes.Slice(_witnessesAt + i * TxWitness.EncodedSize, TxWitness.EncodedSize);
        return new TxWitnessView(item[..PublicKey32.Size], item[PublicKey32.Size..]);
    }

    /// <summary><c>txid = H(tx, UnsignedBytes)</c> (DESIGN §3); witnesses never change it.</summary>
    public Hash32 ComputeTxId() => DomainHash.Compute(DomainHash.Tx, UnsignedBytes);

    /// <summary>Decodes exactly one transaction: the whole input must be it (no trailing bytes).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out TxView view, out DecodeFailure failure)
    {
        var reader = new CodecReader(encoding);
        if (encoding.Length > ProtocolLimits.MaxTxBytes)
        {
            // Reject oversized input before touching it (DESIGN §3 limit); the exact size check is in TryRead.
            reader.At("tx");
            reader.Fail(DecodeError.TooLarge, 0);
            view = default;
            failure = reader.Failure;
            return false;
        }
        bool ok = TryRead(ref reader, out view) && reader.TryReadEnd();
        failure = reader.Failure;
        if (!ok) view = default;
        return ok;
    }

    /// <summary>Reads one transaction at the reader's position (transactions are self-delimiting).</summary>
    public static bool TryRead(scoped ref CodecReader reader, out TxView view)
    {
        view = default;
        int start = reader.Offset;

        reader.At("version");
        if (!reader.TryReadU8(out byte version)) return false;
        if (version != ProtocolLimits.Version) return reader.Fail(DecodeError.UnknownVersion, start);
        reader.At("chainId");
        if (!reader.TryReadU32(out _)) return false;
        reader.At("kind");
        int kindAt = reader.Offset;
        if (!reader.TryReadU8(out byte kind)) return false;
        if (!TxKinds.IsDefined(kind)) return reader.Fail(DecodeError.UnknownKind, kindAt);
        reader.At("validUntil");
        if (!reader.TryReadU64(out _)) return false;

        reader.At("inputs");
        if (!reader.TryReadCount(ProtocolLimits.MaxInputs, out int inputCount)) return false;
        int inputsAt = reader.Offset;
        for (int i = 0; i < inputCount; i++)
        {
            reader.At("inputs", i, "txid");
            if (!reader.TrySkip(Hash32.Size)) return false;
            reader.At("inputs", i, "index");
            if (!reader.TrySkip(2)) return false;
        }

        reader.At("outputs");
        if (!reader.TryReadCount(ProtocolLimits.MaxOutputs, out int outputCount)) return false;
        int outputsAt = reader.Offset;
        for (int i = 0; i < outputCount; i++)
        {
            reader.At("outputs", i, "asset");
            if (!reader.TrySkip(Hash32.Size)) return false;
            reader.At("outputs", i, "amount");
            if (!reader.TrySkip(8)) return false;
            reader.At("outputs", i, "owner");
            if (!reader.TrySkip(Address.Size)) return false;
        }

        reader.At("payload");
        if (!reader.TryReadLength(ProtocolLimits.MaxPayloadBytes, out int payloadLength)) return false;
        int payloadAt = reader.Offset;
        if (!reader.TrySkip(payloadLength)) return false;

        int witnessCountAt = reader.Offset;
        reader.At("witnesses");
        if (!reader.TryReadCount(ProtocolLimits.MaxWitnesses, out int witnessCount)) return false;
        int witnessesAt = reader.Offset;
        for (int i = 0; i < witnessCount; i++)
        {
            reader.At("witnesses", i, "publicKey");
            if (!reader.TrySkip(PublicKey32.Size)) return false;
            reader.At("witnesses", i, "signature");
            if (!reader.TrySkip(Signature64.Size)) return false;
        }

        int length = reader.Offset - start;
        if (length > ProtocolLimits.MaxTxBytes)
        {
            reader.At("tx");
            return reader.Fail(DecodeError.TooLarge, start);
        }

        view = new TxView(reader.Slice(start, length), inputCount, inputsAt - start, outputCount, outputsAt - start,
            payloadAt - start, payloadLength, witnessCountAt - start, witnessCount, witnessesAt - start);
        return true;
    }
}
