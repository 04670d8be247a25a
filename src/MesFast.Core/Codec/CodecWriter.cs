using System.Buffers.Binary;
using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// Writes the canonical encoding (DESIGN §2) into a caller-sized span. Sizes are always computed first by the
/// models' <c>EncodedLength</c>, so running out of space is a programming error and throws.
/// </summary>
public ref struct CodecWriter
{
    private readonly Span<byte> _buffer;
    private int _offset;

    public CodecWriter(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Bytes written so far.</summary>
    public readonly int Offset => _offset;

    public void WriteU8(byte value) => _buffer[_offset++] = value;

    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[_offset..], value);
        _offset += 2;
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_offset..], value);
        _offset += 4;
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[_offset..], value);
        _offset += 8;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_offset..]);
        _offset += bytes.Length;
    }

    public void WriteHash32(in Hash32 value) => WriteBytes(value.Span);

    /// <summary>Minimal LEB128 (the only form the reader accepts).</summary>
    public void WriteVarint(uint value)
    {
        while (value >= 0x80)
        {
            _buffer[_offset++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_offset++] = (byte)value;
    }

    /// <summary>Bytes <see cref="WriteVarint(uint)"/> writes for <paramref name="value"/> (1–5).</summary>
    public static int VarintSize(uint value) => (38 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7;

    /// <summary>A count or length (non-negative).</summary>
    public void WriteVarint(int value) => WriteVarint(checked((uint)value));

    /// <summary>A byte string: varint length, then the bytes.</summary>
    public void WriteLengthPrefixed(scoped ReadOnlySpan<byte> bytes)
    {
        WriteVarint(bytes.Length);
        WriteBytes(bytes);
    }
}
