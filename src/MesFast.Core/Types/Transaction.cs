using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>
/// An owned transaction (DESIGN §3) for building and storing; <see cref="TxView"/> is the zero-copy decoded form.
/// Always encodes version <see cref="ProtocolLimits.Version"/>. The encoder does not check limits: a model built
/// over them encodes, but its bytes do not decode — call <see cref="IsWithinLimits"/> before broadcasting.
/// </summary>
public sealed class Transaction
{
    public uint ChainId { get; init; }

    public TxKind Kind { get; init; }

    /// <summary>Last height at which the transaction may be included.</summary>
    public ulong ValidUntil { get; init; }

    public TxInput[] Inputs { get; init; } = [];

    public TxOutput[] Outputs { get; init; } = [];

    public byte[] Payload { get; init; } = [];

    public TxWitness[] Witnesses { get; init; } = [];

    /// <summary>The same transaction with other witnesses (same txid: witnesses are not part of it).</summary>
    public Transaction WithWitnesses(TxWitness[] witnesses) => new()
    {
        ChainId = ChainId,
        Kind = Kind,
        ValidUntil = ValidUntil,
        Inputs = Inputs,
        Outputs = Outputs,
        Payload = Payload,
        Witnesses = witnesses,
    };

    /// <summary>Length of the encoding without witnesses (the txid preimage).</summary>
    public int UnsignedLength =>
        TxView.FixedPrefixSize
        + Varint.SizeOf(Inputs.Length) + Inputs.Length * TxInput.EncodedSize
        + Varint.SizeOf(Outputs.Length) + Outputs.Length * TxOutput.EncodedSize
        + Varint.SizeOf(Payload.Length) + Payload.Length;

    /// <summary>Length of the full encoding.</summary>
    public int EncodedLength => UnsignedLength + Varint.SizeOf(Witnesses.Length) + Witnesses.Length * TxWitness.EncodedSize;

    /// <summary>True when the decoder would accept this transaction's encoding (counts, payload and size limits).</summary>
    public bool IsWithinLimits =>
        Inputs.Length <= ProtocolLimits.MaxInputs && Outputs.Length <= ProtocolLimits.MaxOutputs
        && Witnesses.Length <= ProtocolLimits.MaxWitnesses && Payload.Length <= ProtocolLimits.MaxPayloadBytes
        && EncodedLength <= ProtocolLimits.MaxTxBytes && Enum.IsDefined(Kind);

    /// <summary>Writes the full encoding; returns the bytes written (= <see cref="EncodedLength"/>).</summary>
    public int Encode(Span<byte> destination)
    {
        var writer = new CodecWriter(destination);
        WriteTo(ref writer);
        return writer.Offset;
    }

    /// <summary>Writes the encoding without witnesses; returns the bytes written (= <see cref="UnsignedLength"/>).</summary>
    public int EncodeUnsigned(Span<byte> destination)
    {
        var writer = new CodecWriter(destination);
        WriteUnsigned(ref writer);
        return writer.Offset;
    }

    /// <summary>Writes the full encoding at the writer's position (blocks embed transactions this way).</summary>
    public void WriteTo(ref CodecWriter writer)
    {
        WriteUnsigned(ref writer);
        writer.WriteVarint(Witnesses.Length);
        foreach (var w in Witnesses)
        {
            writer.WriteBytes(w.PublicKey.Span);
            writer.WriteBytes(w.Signature.Span);
        }
    }

    private void WriteUnsigned(ref CodecWriter writer)
    {
        writer.WriteU8(ProtocolLimits.Version);
        writer.WriteU32(ChainId);
        writer.WriteU8((byte)Kind);
        writer.WriteU64(ValidUntil);
        writer.WriteVarint(Inputs.Length);
        foreach (var input in Inputs)
        {
            writer.WriteHash32(input.TxId);
            writer.WriteU16(input.Index);
        }
        writer.WriteVarint(Outputs.Length);
        foreach (var output in Outputs)
        {
            writer.WriteHash32(output.Asset);
            writer.WriteU64(output.Amount);
            writer.WriteBytes(output.Owner.Span);
        }
        writer.WriteLengthPrefixed(Payload);
    }

    /// <summary>Appends the full encoding to a buffer writer.</summary>
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

    /// <summary><c>txid = H(tx, encoding without Witness[])</c> (DESIGN §3).</summary>
    public Hash32 ComputeTxId()
    {
        int length = UnsignedLength;
        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[1024] : rented;
        try
        {
            EncodeUnsigned(buffer);
            return DomainHash.Compute(DomainHash.Tx, buffer[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Copies a decoded view into an owned model.</summary>
    public static Transaction FromView(TxView view)
    {
        var inputs = new TxInput[view.InputCount];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = view.Input(i);
        var outputs = new TxOutput[view.OutputCount];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = view.Output(i);
        var witnesses = new TxWitness[view.WitnessCount];
        for (int i = 0; i < witnesses.Length; i++)
        {
            var w = view.Witness(i);
            witnesses[i] = new TxWitness(new PublicKey32(w.PublicKey), new Signature64(w.Signature));
        }
        return new Transaction
        {
            ChainId = view.ChainId,
            Kind = view.Kind,
            ValidUntil = view.ValidUntil,
            Inputs = inputs,
            Outputs = outputs,
            Payload = view.Payload.ToArray(),
            Witnesses = witnesses,
        };
    }

    /// <summary>Decodes exactly one transaction into an owned model.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, [NotNullWhen(true)] out Transaction? transaction, out DecodeFailure failure)
    {
        if (!TxView.TryDecode(encoding, out var view, out failure))
        {
            transaction = null;
            return false;
        }
        transaction = FromView(view);
        return true;
    }
}
