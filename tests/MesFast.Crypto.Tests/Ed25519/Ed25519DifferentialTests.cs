using Xunit.Abstractions;

namespace MesFast.Crypto.Tests;

/// <summary>Ours vs libsodium (NSec): both must accept honest signatures and reject mutated ones.</summary>
public class Ed25519DifferentialTests(ITestOutputHelper output)
{
    [Fact]
    public void HonestSignatures_100000_AcceptedByBoth()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        const int Total = 100_000;
        const int Workers = 8;
        int failures = 0;
        Parallel.For(0, Workers, w =>
        {
            var rng = new Random(seed + w);
            for (int i = w; i < Total; i += Workers)
            {
                var (pk, msg, sig) = TestSignatures.Honest(rng, rng.Next(0, 301));
                if (!Ed25519.Verify(pk, msg, sig) || !TestSignatures.LibSodiumVerify(pk, msg, sig))
                    Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Mutations_20000_RejectedByBoth()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        const int Total = 20_000;
        const int Workers = 8;
        int disagreements = 0, accepted = 0;
        Parallel.For(0, Workers, w =>
        {
            var rng = new Random(seed + w);
            for (int i = w; i < Total; i += Workers)
            {
                var (pk, msg, sig) = TestSignatures.Honest(rng, rng.Next(0, 301));
                switch (rng.Next(3))
                {
                    case 0: pk[rng.Next(32)] ^= (byte)(1 << rng.Next(8)); break;
                    case 1: sig[rng.Next(64)] ^= (byte)(1 << rng.Next(8)); break;
                    default:
                        if (msg.Length == 0) msg = [0];
                        else msg[rng.Next(msg.Length)] ^= (byte)(1 << rng.Next(8));
                        break;
                }
                bool ours = Ed25519.Verify(pk, msg, sig);
                bool theirs = TestSignatures.LibSodiumVerify(pk, msg, sig);
                if (ours != theirs) Interlocked.Increment(ref disagreements);
                if (ours) Interlocked.Increment(ref accepted);
            }
        });
        Assert.Equal(0, disagreements);
        Assert.Equal(0, accepted);
    }
}
