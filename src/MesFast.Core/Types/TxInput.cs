using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>A reference to an unspent output (DESIGN §3): <c>Hash32 txid; u16 index</c>, 34 bytes on the wire.</summary>
public readonly record struct TxInput(Hash32 TxId, ushort Index)
{
    public const int EncodedSize = Hash32.Size + 2;
}
