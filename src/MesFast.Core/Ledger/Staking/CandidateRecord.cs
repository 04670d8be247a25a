using System.Text;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// A registered witness candidate (PROTOCOL §11.3), key <c>0x03 ‖ nodeKey</c>. Value: <c>owner(20) ‖ u64 bond ‖
/// u64 weight ‖ u128 rewardIndex ‖ u16 voterShareBps ‖ u64 height ‖ bytes name ‖ bytes url ‖ bytes endpoint ‖
/// bytes star</c> (u128 = low u64 LE then high u64 LE; height = first registration).
/// </summary>
public sealed record CandidateRecord(Hash32 NodeKey, Address Owner, ulong Bond, ulong Weight, UInt128 RewardIndex,
    ushort VoterShareBps, ulong Height, string Name, string Url, string Endpoint, byte[] Star)
{
    public byte[] EncodeValue()
    {
        byte[] name = Encoding.UTF8.GetBytes(Name), url = Encoding.ASCII.GetBytes(Url), endpoint = Encoding.ASCII.GetBytes(Endpoint);
        var buffer = new byte[Address.Size + 8 + 8 + 16 + 2 + 8 + Prefixed(name.Length) + Prefixed(url.Length)
            + Prefixed(endpoint.Length) + Prefixed(Star.Length)];
        var writer = new CodecWriter(buffer);
        writer.WriteBytes(Owner.Span);
        writer.WriteU64(Bond);
        writer.WriteU64(Weight);
        Span<byte> index = stackalloc byte[16];
        Staking.RewardIndex.Write(RewardIndex, index);
        writer.WriteBytes(index);
        writer.WriteU16(VoterShareBps);
        writer.WriteU64(Height);
        writer.WriteLengthPrefixed(name);
        writer.WriteLengthPrefixed(url);
        writer.WriteLengthPrefixed(endpoint);
        writer.WriteLengthPrefixed(Star);
        return buffer;
    }

    /// <summary>Decodes a stored value; throws <see cref="InvalidDataException"/> on a corrupt store (never on user input).</summary>
    public static CandidateRecord DecodeValue(in Hash32 nodeKey, ReadOnlySpan<byte> value)
    {
        var reader = new CodecReader(value);
        if (!reader.TryReadBytes(Address.Size, out var owner) || !reader.TryReadU64(out ulong bond) || !reader.TryReadU64(out ulong weight)
            || !reader.TryReadBytes(16, out var index) || !reader.TryReadU16(out ushort share) || !reader.TryReadU64(out ulong height)
            || !reader.TryReadLength(256, out int nameLength) || !reader.TryReadBytes(nameLength, out var name)
            || !reader.TryReadLength(256, out int urlLength) || !reader.TryReadBytes(urlLength, out var url)
            || !reader.TryReadLength(256, out int endpointLength) || !reader.TryReadBytes(endpointLength, out var endpoint)
            || !reader.TryReadLength(1024, out int starLength) || !reader.TryReadBytes(starLength, out var star)
            || !reader.TryReadEnd())
            throw new InvalidDataException($"candidate record {nodeKey} does not decode");
        return new CandidateRecord(nodeKey, new Address(owner), bond, weight, Staking.RewardIndex.Read(index), share, height,
            Encoding.UTF8.GetString(name), Encoding.ASCII.GetString(url), Encoding.ASCII.GetString(endpoint), star.ToArray());
    }

    private static int Prefixed(int length) => Varint.SizeOf(length) + length;
}
