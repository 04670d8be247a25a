using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Types;
using MesFast.Crypto;
using Xunit.Abstractions;

namespace MesFast.Core.Tests.Consensus;

public sealed class ConsensusCodecTests(ITestOutputHelper output)
{
    private const int Mutations = 20_000;

    [Fact]
    public void Random_messages_of_every_kind_round_trip()
    {
        var random = new Random(TestSeeds.Get(4001));
        var kinds = new int[5];
        for (int n = 0; n < 2_000; n++)
        {
            var message = RandomMessage(random);
            byte[] bytes = ConsensusCodec.Encode(message);
            Assert.Equal(ConsensusCodec.EncodedLength(message), bytes.Length);
            Assert.True(ConsensusCodec.TryDecode(bytes, out var decoded, out var failure), failure.ToString());
            Assert.Equal(message.GetType(), decoded.GetType());
            Assert.Equal(message.Height, decoded.Height);
            Assert.Equal(message.View, decoded.View);
            Assert.Equal(bytes, ConsensusCodec.Encode(decoded));
            kinds[bytes[0]]++;
        }
        Assert.All(kinds[1..], count => Assert.True(count > 100));
    }

    [Fact]
    public void A_decoded_vote_keeps_every_field()
    {
        var random = new Random(1);
        var vote = new Vote(VotePhase.Commit, 123_456_789_012, 7, RandomHash(random), 1023, RandomSignature(random));
        Assert.True(ConsensusCodec.TryDecode(ConsensusCodec.Encode(new VoteMessage(vote)), out var decoded, out _));
        Assert.Equal(vote, ((VoteMessage)decoded).Vote);
    }

    [Fact]
    public void Every_prefix_is_truncated_and_never_throws()
    {
        var random = new Random(TestSeeds.Get(4002));
        for (int n = 0; n < 40; n++)
        {
            byte[] bytes = ConsensusCodec.Encode(RandomMessage(random, maxBlock: 64));
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.False(ConsensusCodec.TryDecode(bytes.AsSpan(0, length), out _, out var failure));
                Assert.Equal(DecodeError.Truncated, failure.Error);
            }
        }
    }

    [Fact]
    public void Mutated_messages_decode_canonically_or_fail_cleanly()
    {
        int seed = TestSeeds.Get(4003);
        var random = new Random(seed);
        var errors = new Dictionary<DecodeError, int>();
        int accepted = 0;
        byte[] original = [];
        for (int n = 0; n < Mutations; n++)
        {
            if (n % 100 == 0) original = ConsensusCodec.Encode(RandomMessage(random, maxBlock: 300));
            byte[] mutated = MutationFuzzTests.Mutate(original, random);
            bool ok;
            ConsensusMessage? decoded;
            DecodeFailure failure;
            try
            {
                ok = ConsensusCodec.TryDecode(mutated, out decoded, out failure);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} mutation {n} threw {e.GetType().Name}: {e.Message}; input {Convert.ToHexString(mutated)}");
                throw;
            }
            if (ok)
            {
                accepted++;
                Assert.Equal(mutated, ConsensusCodec.Encode(decoded!));
            }
            else
            {
                Assert.NotEqual(DecodeError.None, failure.Error);
                errors[failure.Error] = errors.GetValueOrDefault(failure.Error) + 1;
            }
        }
        output.WriteLine($"seed {seed}: {Mutations} mutations, {accepted} decoded canonically, rejected: {string.Join(", ", errors)}");
        Assert.Contains(DecodeError.InvalidFlags, errors.Keys);
        Assert.Contains(DecodeError.UnknownKind, errors.Keys);
    }

    [Fact]
    public void Out_of_range_tags_phases_flags_indices_and_sizes_are_rejected()
    {
        var random = new Random(5);
        byte[] vote = ConsensusCodec.Encode(new VoteMessage(new Vote(VotePhase.Prepare, 1, 0, RandomHash(random), 3, RandomSignature(random))));
        Expect(DecodeError.UnknownKind, With(vote, 0, 9));
        Expect(DecodeError.UnknownKind, With(vote, 1, 3));
        Expect(DecodeError.IndexOverLimit, With(With(vote, 46, 0x00), 47, 0x04)); // witness 1024
        byte[] change = ConsensusCodec.Encode(new ViewChangeMessage(1, 1, 0, null, null, RandomSignature(random)));
        Expect(DecodeError.InvalidFlags, With(change, 15, 2)); // block without certificate
        Expect(DecodeError.InvalidFlags, With(change, 15, 4));
        Expect(DecodeError.TooLarge, new byte[ConsensusCodec.MaxMessageBytes + 1]);
        Expect(DecodeError.Truncated, []);
        Expect(DecodeError.TrailingBytes, [.. vote, 0]);
    }

    private static void Expect(DecodeError error, byte[] bytes)
    {
        Assert.False(ConsensusCodec.TryDecode(bytes, out _, out var failure));
        Assert.Equal(error, failure.Error);
    }

    private static byte[] With(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }

    internal static ConsensusMessage RandomMessage(Random random, int maxBlock = 2_000) => random.Next(4) switch
    {
        0 => new PrePrepareMessage(RandomHeight(random), (uint)random.Next(), random.Next(1024), RandomBytes(random, maxBlock)),
        1 => new VoteMessage(new Vote(random.Next(2) == 0 ? VotePhase.Prepare : VotePhase.Commit, RandomHeight(random), (uint)random.Next(),
            RandomHash(random), random.Next(1024), RandomSignature(random))),
        2 => RandomViewChange(random, maxBlock, withBlock: true),
        _ => RandomNewView(random, maxBlock),
    };

    private static NewViewMessage RandomNewView(Random random, int maxBlock)
    {
        var changes = new ViewChangeMessage[random.Next(8)];
        for (int i = 0; i < changes.Length; i++) changes[i] = RandomViewChange(random, maxBlock, withBlock: false);
        return new NewViewMessage(RandomHeight(random), (uint)random.Next(), random.Next(1024), changes, RandomBytes(random, maxBlock), RandomSignature(random));
    }

    private static ViewChangeMessage RandomViewChange(Random random, int maxBlock, bool withBlock)
    {
        CommitCertificate? prepared = null;
        byte[]? block = null;
        if (random.Next(2) == 0)
        {
            int n = 1 + random.Next(10);
            var signers = new bool[n];
            var signatures = new List<Signature64>();
            for (int i = 0; i < n; i++)
                if (signers[i] = random.Next(3) > 0) signatures.Add(RandomSignature(random));
            prepared = new CommitCertificate { Height = RandomHeight(random), View = (uint)random.Next(), Block = RandomHash(random), Signers = signers, Signatures = [.. signatures] };
            if (withBlock && random.Next(4) > 0) block = RandomBytes(random, maxBlock);
        }
        return new ViewChangeMessage(RandomHeight(random), (uint)random.Next(), random.Next(1024), prepared, block, RandomSignature(random));
    }

    private static ulong RandomHeight(Random random) => (ulong)random.NextInt64();

    private static byte[] RandomBytes(Random random, int max)
    {
        var bytes = new byte[random.Next(max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Hash32 RandomHash(Random random) => new(RandomBytes32(random));

    private static byte[] RandomBytes32(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Signature64 RandomSignature(Random random)
    {
        var bytes = new byte[64];
        random.NextBytes(bytes);
        return new Signature64(bytes);
    }
}
