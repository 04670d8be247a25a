using System.Security.Cryptography;
using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>Eight-lane SHA-512 against the platform SHA-512 at every length around block and padding edges.</summary>
public class Sha512LanesTests(ITestOutputHelper output)
{
    [Fact]
    public void EightLanes_MatchPlatformSha512_AtEveryLengthUpTo300()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var digests = new byte[8 * 64];
        for (int length = 0; length <= 300; length++)
        {
            var messages = new byte[8 * length];
            rng.NextBytes(messages);
            Sha512Lanes.Hash(messages, length, digests);
            for (int lane = 0; lane < 8; lane++)
            {
                byte[] expected = SHA512.HashData(messages.AsSpan(lane * length, length));
                Assert.True(expected.AsSpan().SequenceEqual(digests.AsSpan(lane * 64, 64)), $"seed {seed} length {length} lane {lane}");
            }
        }
    }

    [Fact]
    public void KnownAnswer_Abc()
    {
        // FIPS 180-2 example: SHA-512("abc").
        var messages = new byte[8 * 3];
        for (int i = 0; i < 8; i++) "abc"u8.CopyTo(messages.AsSpan(3 * i));
        var digests = new byte[8 * 64];
        Sha512Lanes.Hash(messages, 3, digests);
        Assert.Equal("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            Convert.ToHexStringLower(digests.AsSpan(7 * 64, 64)));
    }
}
