using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>One approval of a position: the candidate and the candidate's reward index when last settled.</summary>
public readonly record struct Approval(Hash32 NodeKey, UInt128 EntryIndex);

/// <summary>
/// A stake position (PROTOCOL §11.3), key <c>0x04 ‖ positionId</c> (the Stake's txid). Value: <c>owner(20) ‖
/// u64 amount ‖ u64 height ‖ u64 releaseHeight ‖ u64 settled ‖ varint n ‖ n × (nodeKey(32) ‖ u128 entryIndex)</c>.
/// <c>releaseHeight</c> = 0 while bonded; after an Unstake it is the first height at which the MES can be released,
/// the approvals are empty and <c>settled</c> holds the rewards accrued until the Unstake, still claimable.
/// </summary>
public sealed record StakePositionRecord(Hash32 Id, Address Owner, ulong Amount, ulong Height, ulong ReleaseHeight, ulong Settled,
    Approval[] Approvals)
{
    public bool IsUnbonding => ReleaseHeight != 0;

    public byte[] EncodeValue()
    {
        var buffer = new byte[Address.Size + 8 * 4 + Varint.SizeOf(Approvals.Length) + Approvals.Length * (Hash32.Size + 16)];
        var writer = new CodecWriter(buffer);
        writer.WriteBytes(Owner.Span);
        writer.WriteU64(Amount);
        writer.WriteU64(Height);
        writer.WriteU64(ReleaseHeight);
        writer.WriteU64(Settled);
        writer.WriteVarint(Approvals.Length);
        Span<byte> index = stackalloc byte[16];
        foreach (var approval in Approvals)
        {
            writer.WriteHash32(approval.NodeKey);
            RewardIndex.Write(approval.EntryIndex, index);
            writer.WriteBytes(index);
        }
        return buffer;
    }

    /// <summary>Decodes a stored value; throws <see cref="InvalidDataException"/> on a corrupt store (never on user input).</summary>
    public static StakePositionRecord DecodeValue(in Hash32 id, ReadOnlySpan<byte> value)
    {
        var reader = new CodecReader(value);
        if (!reader.TryReadBytes(Address.Size, out var owner) || !reader.TryReadU64(out ulong amount) || !reader.TryReadU64(out ulong height)
            || !reader.TryReadU64(out ulong release) || !reader.TryReadU64(out ulong settled)
            || !reader.TryReadCount(Kinds.StakePayload.MaxApprovals, out int n))
            throw new InvalidDataException($"stake position {id} does not decode");
        var approvals = new Approval[n];
        for (int i = 0; i < n; i++)
        {
            if (!reader.TryReadHash32(out var key) || !reader.TryReadBytes(16, out var index))
                throw new InvalidDataException($"stake position {id} does not decode");
            approvals[i] = new Approval(key, RewardIndex.Read(index));
        }
        if (!reader.TryReadEnd()) throw new InvalidDataException($"stake position {id} has trailing bytes");
        return new StakePositionRecord(id, new Address(owner), amount, height, release, settled, approvals);
    }
}
