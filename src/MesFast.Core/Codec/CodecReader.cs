using System.Buffers.Binary;
using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// A forward-only reader over a canonical encoding (DESIGN §2), in the style of <c>Utf8JsonReader</c>: every
/// <c>TryRead…</c> returns false instead of throwing and records the first error with the current field path
/// (set by <see cref="At"/>) and the offset where that field starts. Once failed, every further read fails, so a
/// decoder can stop at the first false. It never allocates.
/// </summary>
public ref struct CodecReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private DecodeFailure _failure;
    private string _field;
    private int _index;
    private string? _member;
    private string? _outer;
    private int _outerIndex;

    public CodecReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _field = "";
        _index = -1;
        _outerIndex = -1;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Offset => _offset;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _data.Length - _offset;

    /// <summary>True after the first error.</summary>
    public readonly bool HasFailed => _failure.Error != DecodeError.None;

    /// <summary>The first error (Error = None while none happened).</summary>
    public readonly DecodeFailure Failure => _failure;

    /// <summary>Names the field the next reads belong to, e.g. <c>At("inputs", 3, "index")</c>.</summary>
    public void At(string field, int index = -1, string? member = null)
    {
        _field = field;
        _index = index;
        _member = member;
    }

    /// <summary>Names the enclosing element, e.g. <c>("txs", 2)</c> while reading a block's third transaction.</summary>
    public void Within(string? outer, int outerIndex = -1)
    {
        _outer = outer;
        _outerIndex = outerIndex;
    }

    /// <summary>The bytes [start, start + length) of the underlying input (for views over what was read).</summary>
    public readonly ReadOnlySpan<byte> Slice(int start, int length) => _data.Slice(start, length);

    /// <summary>Records <paramref name="error"/> at <paramref name="offset"/> for the current field (first error wins); returns false.</summary>
    public bool Fail(DecodeError error, int offset)
    {
        if (_failure.Error == DecodeError.None)
            _failure = new DecodeFailure(error, offset, _field, _index, _member, _outer, _outerIndex);
        return false;
    }

    private bool Ensure(int count) =>
        !HasFailed && (count <= Remaining || Fail(DecodeError.Truncated, _offset));

    public bool TryReadU8(out byte value)
    {
        if (!Ensure(1)) { value = 0; return false; }
        value = _data[_offset++];
        return true;
    }

    public bool TryReadU16(out ushort value)
    {
        if (!Ensure(2)) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16LittleEndian(_data[_offset..]);
        _offset += 2;
        return true;
    }

    public bool TryReadU32(out uint value)
    {
        if (!Ensure(4)) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt32LittleEndian(_data[_offset..]);
        _offset += 4;
        return true;
    }

    public bool TryReadU64(out ulong value)
    {
        if (!Ensure(8)) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_offset..]);
        _offset += 8;
        return true;
    }

    public bool TryReadHash32(out Hash32 value)
    {
        if (!Ensure(Hash32.Size)) { value = default; return false; }
        value = new Hash32(_data.Slice(_offset, Hash32.Size));
        _offset += Hash32.Size;
        return true;
    }

    /// <summary>Reads <paramref name="length"/> raw bytes as a slice of the input (no copy).</summary>
    public bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
    {
        if (!Ensure(length)) { bytes = default; return false; }
        bytes = _data.Slice(_offset, length);
        _offset += length;
        return true;
    }

    /// <summary>Skips <paramref name="length"/> bytes (fixed-size items already known to be well-formed bytes).</summary>
    public bool TrySkip(int length)
    {
        if (!Ensure(length)) return false;
        _offset += length;
        return true;
    }

    /// <summary>
    /// Reads a minimal LEB128 u32 (DESIGN §2). Rejects a last byte of 0 after the first (non-minimal, e.g. <c>80 00</c>),
    /// a fifth byte with bits above 2^32 or a continuation bit (overflow), and an input ending mid-varint (truncated).
    /// Errors are reported at the varint's first byte.
    /// </summary>
    public bool TryReadVarint(out uint value)
    {
        value = 0;
        if (HasFailed) return false;
        int start = _offset;
        uint result = 0;
        for (int i = 0; i < Varint.MaxBytes; i++)
        {
            if (start + i >= _data.Length) return Fail(DecodeError.Truncated, start);
            byte b = _data[start + i];
            if (i == Varint.MaxBytes - 1 && b > 0x0F) return Fail(DecodeError.VarintOverflow, start);
            result |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i > 0 && b == 0) return Fail(DecodeError.NonMinimalVarint, start);
                _offset = start + i + 1;
                value = result;
                return true;
            }
        }
        return Fail(DecodeError.VarintOverflow, start); // unreachable: a 5th byte with the high bit set is > 0x0F
    }

    /// <summary>Reads an array count and rejects it above <paramref name="max"/> (<see cref="DecodeError.CountOverLimit"/>).</summary>
    public bool TryReadCount(int max, out int count) => TryReadBounded(max, DecodeError.CountOverLimit, out count);

    /// <summary>Reads a byte-string length and rejects it above <paramref name="max"/> (<see cref="DecodeError.LengthOverLimit"/>).</summary>
    public bool TryReadLength(int max, out int length) => TryReadBounded(max, DecodeError.LengthOverLimit, out length);

    private bool TryReadBounded(int max, DecodeError overLimit, out int value)
    {
        int start = _offset;
        value = 0;
        if (!TryReadVarint(out uint raw)) return false;
        if (raw > (uint)max) return Fail(overLimit, start);
        value = (int)raw;
        return true;
    }

    /// <summary>Succeeds only if every byte was consumed (<see cref="DecodeError.TrailingBytes"/> otherwise).</summary>
    public bool TryReadEnd()
    {
        if (HasFailed) return false;
        return Remaining == 0 || Fail(DecodeError.TrailingBytes, _offset);
    }
}
