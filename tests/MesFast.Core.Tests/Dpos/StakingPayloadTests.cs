using System.Text;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Ledger.Staking;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Dpos;

/// <summary>Staking payload codecs: round trips, and random mutations that must parse canonically or fail cleanly, never throw.</summary>
public sealed class StakingPayloadTests
{
    private const int MutationsPerCodec = 20_000;

    private static Hash32 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash32(bytes);
    }

    private static string RandomText(Random random, int maxBytes, bool ascii)
    {
        var sb = new StringBuilder();
        int length = random.Next(1, maxBytes / (ascii ? 1 : 3) + 1);
        for (int i = 0; i < length; i++) sb.Append(ascii ? (char)random.Next(0x21, 0x7f) : (char)random.Next(0x21, 0x3000));
        return sb.ToString();
    }

    private static RegisterWitnessPayload RandomRegistration(Random random)
    {
        var star = new byte[random.Next(0, RegisterWitnessPayload.MaxStarBytes + 1)];
        random.NextBytes(star);
        string host = RandomText(random, 40, ascii: true).Replace(":", "", StringComparison.Ordinal);
        if (host.Length == 0) host = "h";
        return new RegisterWitnessPayload(RandomHash(random), (ulong)random.NextInt64(), (ushort)random.Next(0, 10_001),
            RandomText(random, RegisterWitnessPayload.MaxNameBytes, ascii: false), random.Next(2) == 0 ? "" : RandomText(random, 128, ascii: true),
            $"{host}:{random.Next(1, 65_536)}", star);
    }

    private static StakePayload RandomStake(Random random)
    {
        var keys = new Hash32[random.Next(1, StakePayload.MaxApprovals + 1)];
        for (int i = 0; i < keys.Length; i++) keys[i] = RandomHash(random);
        Array.Sort(keys, static (a, b) => a.Span.SequenceCompareTo(b.Span));
        return new StakePayload((ulong)random.NextInt64(), keys);
    }

    [Fact]
    public void Payloads_round_trip()
    {
        var random = new Random(TestSeeds.Get(4101));
        for (int n = 0; n < 200; n++)
        {
            var registration = RandomRegistration(random);
            var bytes = registration.Encode();
            Assert.True(RegisterWitnessPayload.TryParse(bytes, out var parsed, out string problem), problem);
            Assert.Equal(bytes, parsed!.Encode());
            Assert.Equal((registration.NodeKey, registration.Bond, registration.Name, registration.Endpoint), (parsed.NodeKey, parsed.Bond, parsed.Name, parsed.Endpoint));

            var stake = RandomStake(random);
            bytes = stake.Encode();
            Assert.True(StakePayload.TryParse(bytes, out var parsedStake, out problem), problem);
            Assert.Equal(stake.Candidates, parsedStake!.Candidates);
            Assert.Equal(stake.Amount, parsedStake.Amount);

            var id = RandomHash(random);
            Assert.True(PositionPayload.TryParse(PositionPayload.Encode(id), out var parsedId, out _));
            Assert.Equal(id, parsedId);
        }
    }

    [Theory]
    [InlineData("url", "https://a b/")]
    [InlineData("endpoint", "no-port")]
    [InlineData("endpoint", ":80")]
    [InlineData("endpoint", "host:0")]
    [InlineData("endpoint", "host:080")]
    [InlineData("endpoint", "host:65536")]
    [InlineData("name", "")]
    public void Invalid_profile_fields_are_refused(string field, string value)
    {
        var valid = new RegisterWitnessPayload(new Hash32(new byte[32]), 1, 0, "name", "https://x/", "host:80", []);
        var p = field switch
        {
            "url" => valid with { Url = value },
            "endpoint" => valid with { Endpoint = value },
            _ => valid with { Name = value },
        };
        Assert.False(RegisterWitnessPayload.TryParse(p.Encode(), out _, out string problem));
        Assert.StartsWith(field, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_payloads_parse_canonically_or_fail_without_throwing()
    {
        var random = new Random(TestSeeds.Get(4102));
        int accepted = 0;
        for (int n = 0; n < MutationsPerCodec; n++)
        {
            var registration = Mutate(RandomRegistration(random).Encode(), random);
            if (RegisterWitnessPayload.TryParse(registration, out var r, out _))
            {
                accepted++;
                Assert.Equal(registration, r!.Encode());
            }
            var stake = Mutate(RandomStake(random).Encode(), random);
            if (StakePayload.TryParse(stake, out var st, out _))
            {
                accepted++;
                Assert.Equal(stake, st!.Encode());
            }
            var position = Mutate(new byte[32], random);
            if (PositionPayload.TryParse(position, out var id, out _)) Assert.Equal(position, PositionPayload.Encode(id));
        }
        Assert.InRange(accepted, 1, 2 * MutationsPerCodec - 1); // some mutations keep a valid payload, most do not
    }

    [Fact]
    public void Stored_records_round_trip()
    {
        var random = new Random(TestSeeds.Get(4103));
        var registration = RandomRegistration(random);
        var candidate = new CandidateRecord(registration.NodeKey, new Address(new byte[20]), 5, 6, UInt128.MaxValue - 7, 1234, 99,
            registration.Name, registration.Url, registration.Endpoint, registration.Star);
        var decoded = CandidateRecord.DecodeValue(candidate.NodeKey, candidate.EncodeValue());
        Assert.Equal(candidate.EncodeValue(), decoded.EncodeValue());
        Assert.Equal(candidate.RewardIndex, decoded.RewardIndex);

        var position = new StakePositionRecord(RandomHash(random), new Address(new byte[20]), 10, 11, 12, 13,
            [new Approval(RandomHash(random), (UInt128)1 << 100), new Approval(RandomHash(random), 3)]);
        var decodedPosition = StakePositionRecord.DecodeValue(position.Id, position.EncodeValue());
        Assert.Equal(position.EncodeValue(), decodedPosition.EncodeValue());
        Assert.Equal(position.Approvals, decodedPosition.Approvals);
    }

    /// <summary>Flip, insert, delete, truncate or extend: the same menu as the transaction fuzzer.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                default:
                    if (bytes.Count > 0) bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. bytes];
    }
}
