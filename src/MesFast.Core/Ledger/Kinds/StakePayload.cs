using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Kinds;

/// <summary>
/// Stake payload (PROTOCOL §11.2): <c>u64 amount ‖ varint n (1..30) ‖ n × PubKey32 candidate</c>, the candidates
/// strictly ascending by bytes (so one approval set has one encoding and none repeats).
/// </summary>
public sealed record StakePayload(ulong Amount, Hash32[] Candidates)
{
    public const int MaxApprovals = 30;

    public byte[] Encode()
    {
        var buffer = new byte[8 + Varint.SizeOf(Candidates.Length) + Candidates.Length * Hash32.Size];
        var writer = new CodecWriter(buffer);
        writer.WriteU64(Amount);
        writer.WriteVarint(Candidates.Length);
        foreach (var c in Candidates) writer.WriteHash32(c);
        return buffer;
    }

    /// <summary>Parses and validates a payload; never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out StakePayload? parsed, out string problem)
    {
        parsed = null;
        var reader = new CodecReader(payload);
        if (!reader.TryReadU64(out ulong amount))
        {
            problem = "truncated: amount u64";
            return false;
        }
        if (!reader.TryReadCount(MaxApprovals, out int n) || n == 0)
        {
            problem = $"candidates: expected 1 … {MaxApprovals}";
            return false;
        }
        var candidates = new Hash32[n];
        for (int i = 0; i < n; i++)
        {
            if (!reader.TryReadHash32(out candidates[i]))
            {
                problem = $"candidates[{i}]: truncated";
                return false;
            }
            if (i > 0 && candidates[i - 1].Span.SequenceCompareTo(candidates[i].Span) >= 0)
            {
                problem = $"candidates[{i}]: must be strictly ascending (no repeats)";
                return false;
            }
        }
        if (reader.Remaining != 0)
        {
            problem = $"{reader.Remaining} trailing bytes";
            return false;
        }
        parsed = new StakePayload(amount, candidates);
        problem = "";
        return true;
    }
}
