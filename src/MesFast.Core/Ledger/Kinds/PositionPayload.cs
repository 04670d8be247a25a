using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>Unstake and ClaimRewards payload (PROTOCOL §11.2): exactly <c>Hash32 positionId</c> (the Stake's txid).</summary>
public static class PositionPayload
{
    public static byte[] Encode(in Hash32 positionId) => positionId.ToArray();

    /// <summary>Never throws; any length other than 32 is refused.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Hash32 positionId, out string problem)
    {
        if (payload.Length != Hash32.Size)
        {
            positionId = default;
            problem = $"expected exactly 32 bytes (the position id), got {payload.Length}";
            return false;
        }
        positionId = new Hash32(payload);
        problem = "";
        return true;
    }
}
