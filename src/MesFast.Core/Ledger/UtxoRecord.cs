using System.Buffers.Binary;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>UTXO record value (PROTOCOL §7.1): <c>asset(32) ‖ amount u64 ‖ owner(20) ‖ height u64</c>, 68 bytes.</summary>
public static class UtxoRecord
{
    public const int Size = Hash32.Size + 8 + Address.Size + 8;

    public static void Write(in UtxoEntry entry, Span<byte> value)
    {
        entry.Asset.CopyTo(value);
        BinaryPrimitives.WriteUInt64LittleEndian(value[32..], entry.Amount);
        entry.Owner.CopyTo(value[40..]);
        BinaryPrimitives.WriteUInt64LittleEndian(value[60..], entry.Height);
    }

    public static UtxoEntry Read(ReadOnlySpan<byte> value)
    {
        if (value.Length != Size) throw new InvalidDataException($"a UTXO record is {Size} bytes, found {value.Length}");
        return new UtxoEntry(new Hash32(value[..32]), BinaryPrimitives.ReadUInt64LittleEndian(value[32..]),
            new Address(value.Slice(40, Address.Size)), BinaryPrimitives.ReadUInt64LittleEndian(value[60..]));
    }
}
