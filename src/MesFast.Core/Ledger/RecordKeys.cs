using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>Record keys in a shard store (PROTOCOL §7.1): a type byte, then the record's identity.</summary>
public static class RecordKeys
{
    public const byte MetaType = 0x00, UtxoType = 0x01, AssetType = 0x02, CandidateType = 0x03, StakeType = 0x04;
    public const int UtxoKeySize = 1 + Hash32.Size + 2;
    public const int AssetKeySize = 1 + Hash32.Size;

    /// <summary>Size of a module record key: a type byte and a 32-byte id (candidate node key, stake position id).</summary>
    public const int ModuleKeySize = 1 + Hash32.Size;

    /// <summary>The longest record key of any type (buffers for a block's keys are sized by it).</summary>
    public const int MaxKeySize = UtxoKeySize;

    /// <summary>The shard meta record (not state): LtHash and height saved before a checkpoint.</summary>
    public static ReadOnlySpan<byte> Meta => [MetaType, (byte)'m', (byte)'e', (byte)'t', (byte)'a'];

    public static void WriteUtxoKey(in TxInput outpoint, Span<byte> key)
    {
        key[0] = UtxoType;
        outpoint.TxId.CopyTo(key[1..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(key[(1 + Hash32.Size)..], outpoint.Index);
    }

    public static void WriteAssetKey(in Hash32 assetId, Span<byte> key)
    {
        key[0] = AssetType;
        assetId.CopyTo(key[1..]);
    }

    /// <summary>A module record key: <c>type ‖ id(32)</c>.</summary>
    public static byte[] ModuleKey(byte type, in Hash32 id)
    {
        var key = new byte[ModuleKeySize];
        key[0] = type;
        id.CopyTo(key.AsSpan(1));
        return key;
    }

    public static TxInput ReadUtxoKey(ReadOnlySpan<byte> key) =>
        new(new Hash32(key.Slice(1, Hash32.Size)), System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(key[(1 + Hash32.Size)..]));
}
