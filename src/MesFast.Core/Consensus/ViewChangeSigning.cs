using System.Buffers.Binary;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>What ViewChange and NewView signatures cover (PROTOCOL §10).</summary>
public static class ViewChangeSigning
{
    public const int ViewChangePreimageSize = 4 + 8 + 4 + 1 + 4 + Hash32.Size;

    /// <summary>
    /// <c>H(view-change, chainId u32 ‖ height u64 ‖ newView u32 ‖ hasPrepared u8 ‖ preparedView u32 ‖ preparedBlock 32)</c>;
    /// view and block are zero without a certificate. Covering the certificate's (view, block) means a relay cannot
    /// strip a witness's prepared certificate; the certificate's own signatures prove it.
    /// </summary>
    public static Hash32 ViewChange(uint chainId, ulong height, uint newView, CommitCertificate? prepared)
    {
        Span<byte> preimage = stackalloc byte[ViewChangePreimageSize];
        BinaryPrimitives.WriteUInt32LittleEndian(preimage, chainId);
        BinaryPrimitives.WriteUInt64LittleEndian(preimage[4..], height);
        BinaryPrimitives.WriteUInt32LittleEndian(preimage[12..], newView);
        preimage[16] = prepared is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt32LittleEndian(preimage[17..], prepared?.View ?? 0);
        (prepared?.Block ?? Hash32.Zero).CopyTo(preimage[21..]);
        return DomainHash.Compute(ConsensusDomains.ViewChange, preimage);
    }

    /// <summary>
    /// <c>H(new-view, chainId u32 ‖ height u64 ‖ view u32 ‖ proposer u16 ‖ blockHash 32 ‖ count u16 ‖ count × (witness u16 ‖ viewChangeHash 32))</c>.
    /// </summary>
    public static Hash32 NewView(uint chainId, ulong height, uint view, int proposer, in Hash32 block, ViewChangeMessage[] viewChanges)
    {
        const int fixedSize = 4 + 8 + 4 + 2 + Hash32.Size + 2;
        const int perChange = 2 + Hash32.Size;
        int size = fixedSize + viewChanges.Length * perChange;
        Span<byte> preimage = size <= 4096 ? stackalloc byte[size] : new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(preimage, chainId);
        BinaryPrimitives.WriteUInt64LittleEndian(preimage[4..], height);
        BinaryPrimitives.WriteUInt32LittleEndian(preimage[12..], view);
        BinaryPrimitives.WriteUInt16LittleEndian(preimage[16..], (ushort)proposer);
        block.CopyTo(preimage[18..]);
        BinaryPrimitives.WriteUInt16LittleEndian(preimage[50..], (ushort)viewChanges.Length);
        int at = fixedSize;
        foreach (var change in viewChanges)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(preimage[at..], (ushort)change.Witness);
            ViewChange(chainId, change.Height, change.NewView, change.Prepared).CopyTo(preimage[(at + 2)..]);
            at += perChange;
        }
        return DomainHash.Compute(ConsensusDomains.NewView, preimage);
    }
}
