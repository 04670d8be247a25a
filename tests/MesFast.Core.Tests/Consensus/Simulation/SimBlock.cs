using System.Buffers.Binary;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Consensus.Simulation;

/// <summary>
/// Simulated blocks: a bare 193-byte header with height, view, prev, proposer at their real offsets, a salt (so an
/// equivocating proposer can make two different blocks) and an "invalid" marker the hosts' execution rejects.
/// </summary>
internal static class SimBlock
{
    private const int SaltAt = 100;
    private const int InvalidAt = 190;

    public static byte[] Make(ulong height, uint view, int proposer, in Hash32 prev, byte salt, bool invalid)
    {
        var block = new byte[HeaderView.EncodedSize];
        block[0] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(HeaderView.HeightAt), height);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(HeaderView.ViewAt), view);
        prev.CopyTo(block.AsSpan(HeaderView.PrevAt));
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(HeaderView.ProposerAt), (ushort)proposer);
        block[SaltAt] = salt;
        block[InvalidAt] = invalid ? (byte)1 : (byte)0;
        return block;
    }

    public static byte[] WithSalt(byte[] block, byte salt)
    {
        var copy = (byte[])block.Clone();
        copy[SaltAt] = salt;
        return copy;
    }

    public static Hash32 HashOf(byte[] block) => DomainHash.Compute(DomainHash.Header, block.AsSpan(0, HeaderView.EncodedSize));

    public static ulong Height(byte[] block) => BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(HeaderView.HeightAt));

    public static uint View(byte[] block) => BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(HeaderView.ViewAt));

    public static int Proposer(byte[] block) => BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(HeaderView.ProposerAt));

    public static Hash32 Prev(byte[] block) => new(block.AsSpan(HeaderView.PrevAt, Hash32.Size));

    public static bool IsMarkedInvalid(byte[] block) => block[InvalidAt] != 0;
}
