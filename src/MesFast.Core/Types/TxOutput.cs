using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>A new output (DESIGN §3): <c>Hash32 asset; u64 amount; Addr20 owner</c>, 60 bytes on the wire.</summary>
public readonly record struct TxOutput(Hash32 Asset, ulong Amount, Address Owner)
{
    public const int EncodedSize = Hash32.Size + 8 + Address.Size;
}
