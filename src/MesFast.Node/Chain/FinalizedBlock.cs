using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>A block that became final: what subscribers (RPC newHeads/finalized) are told.</summary>
internal sealed record FinalizedBlock(ulong Height, Hash32 Hash, byte[] Encoding, int TxCount, long FinalizedAtMs);
