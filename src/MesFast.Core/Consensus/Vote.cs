using System.Buffers.Binary;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// A witness's Prepare or Commit for a block at (height, view). The signature covers
/// <c>H(vote, phase u8 ‖ chainId u32 ‖ height u64 ‖ view u32 ‖ blockHash 32)</c> (PROTOCOL §10).
/// </summary>
public readonly record struct Vote(VotePhase Phase, ulong Height, uint View, Hash32 Block, int Witness, Signature64 Signature)
{
    public const int PreimageSize = 1 + 4 + 8 + 4 + Hash32.Size;

    public static Hash32 SigningHash(VotePhase phase, uint chainId, ulong height, uint view, in Hash32 block)
    {
        Span<byte> preimage = stackalloc byte[PreimageSize];
        preimage[0] = (byte)phase;
        BinaryPrimitives.WriteUInt32LittleEndian(preimage[1..], chainId);
        BinaryPrimitives.WriteUInt64LittleEndian(preimage[5..], height);
        BinaryPrimitives.WriteUInt32LittleEndian(preimage[13..], view);
        block.CopyTo(preimage[17..]);
        return DomainHash.Compute(DomainHash.Vote, preimage);
    }
}
