using System.Text;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// A user-issued asset (PROTOCOL §7.3). Stored value: <c>bytes name ‖ bytes symbol ‖ u8 decimals ‖ u64 supply ‖
/// issuer(20) ‖ metadataHash(32) ‖ txid(32) ‖ u64 height</c> (bytes = varint length ‖ UTF-8).
/// </summary>
public sealed record AssetRecord(Hash32 Id, string Name, string Symbol, byte Decimals, ulong Supply, Address Issuer,
    Hash32 MetadataHash, Hash32 TxId, ulong Height)
{
    /// <summary>The native token: asset id zero, 8 decimals.</summary>
    public static readonly AssetRecord Mes = new(Hash32.Zero, "MES", "MES", 8, 0, default, Hash32.Zero, Hash32.Zero, 0);

    public int EncodedLength =>
        Varint.SizeOf(Encoding.UTF8.GetByteCount(Name)) + Encoding.UTF8.GetByteCount(Name)
        + Varint.SizeOf(Symbol.Length) + Symbol.Length + 1 + 8 + Address.Size + 32 + 32 + 8;

    public int Encode(Span<byte> destination)
    {
        var writer = new CodecWriter(destination);
        writer.WriteLengthPrefixed(Encoding.UTF8.GetBytes(Name));
        writer.WriteLengthPrefixed(Encoding.ASCII.GetBytes(Symbol));
        writer.WriteU8(Decimals);
        writer.WriteU64(Supply);
        writer.WriteBytes(Issuer.Span);
        writer.WriteHash32(MetadataHash);
        writer.WriteHash32(TxId);
        writer.WriteU64(Height);
        return writer.Offset;
    }

    public static AssetRecord Decode(in Hash32 id, ReadOnlySpan<byte> value)
    {
        var reader = new CodecReader(value);
        if (!reader.TryReadLength(256, out int nameLength) || !reader.TryReadBytes(nameLength, out var name)
            || !reader.TryReadLength(256, out int symbolLength) || !reader.TryReadBytes(symbolLength, out var symbol)
            || !reader.TryReadU8(out byte decimals) || !reader.TryReadU64(out ulong supply)
            || !reader.TryReadBytes(Address.Size, out var issuer) || !reader.TryReadBytes(32, out var metadata)
            || !reader.TryReadBytes(32, out var txid) || !reader.TryReadU64(out ulong height) || reader.Remaining != 0)
            throw new InvalidDataException("asset record does not decode");
        return new AssetRecord(id, Encoding.UTF8.GetString(name), Encoding.ASCII.GetString(symbol), decimals, supply,
            new Address(issuer), new Hash32(metadata), new Hash32(txid), height);
    }
}
