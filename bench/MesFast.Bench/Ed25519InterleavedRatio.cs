using System.Diagnostics;
using System.Globalization;
using NSec.Cryptography;
using Ed25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Bench;

/// <summary>
/// <c>--ed25519-ratio [rounds]</c>: the per-core ratio "ours batch of 64 vs libsodium single verify" measured in
/// short interleaved rounds (libsodium, then ours, then libsodium, …) on one thread, reporting the median of the
/// per-round ratios. On a shared machine, load that comes and goes hits both sides of a round alike, so the
/// median ratio is steadier than two separately timed means.
/// </summary>
internal static class Ed25519InterleavedRatio
{
    private const int Batch = 64;
    private const int MessageLength = 32;
    private const int Keys = 256;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 41;
        var rng = new Random(7);
        var seeds = new byte[Keys * 32];
        var publicKeys = new byte[Keys * 32];
        var messages = new byte[Keys * MessageLength];
        var signatures = new byte[Keys * 64];
        rng.NextBytes(seeds);
        rng.NextBytes(messages);
        var nsecKeys = new PublicKey[Keys];
        for (int i = 0; i < Keys; i++)
        {
            Ed25519.PublicKeyFromSeed(seeds.AsSpan(i * 32, 32), publicKeys.AsSpan(i * 32, 32));
            Ed25519.Sign(seeds.AsSpan(i * 32, 32), messages.AsSpan(i * MessageLength, MessageLength), signatures.AsSpan(i * 64, 64));
            nsecKeys[i] = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKeys.AsSpan(i * 32, 32), KeyBlobFormat.RawPublicKey);
        }
        var valid = new bool[Batch];

        double LibSodiumMicros()
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < Keys; i++)
            {
                if (!SignatureAlgorithm.Ed25519.Verify(nsecKeys[i], messages.AsSpan(i * MessageLength, MessageLength), signatures.AsSpan(i * 64, 64)))
                    throw new InvalidOperationException("libsodium rejected an honest signature");
            }
            return sw.Elapsed.TotalMicroseconds / Keys;
        }

        double OursMicros()
        {
            var sw = Stopwatch.StartNew();
            for (int b = 0; b < Keys / Batch; b++)
            {
                int bad = MesFast.Crypto.Ed25519Batch.Verify(publicKeys.AsSpan(b * Batch * 32, Batch * 32), signatures.AsSpan(b * Batch * 64, Batch * 64),
                    messages.AsSpan(b * Batch * MessageLength, Batch * MessageLength), MessageLength, valid);
                if (bad != 0) throw new InvalidOperationException("batch rejected an honest signature");
            }
            return sw.Elapsed.TotalMicroseconds / Keys;
        }

        for (int w = 0; w < 5; w++) { LibSodiumMicros(); OursMicros(); } // warm-up (tiered JIT)
        var ratios = new List<double>();
        var sodium = new List<double>();
        var ours = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double s1 = LibSodiumMicros();
            double o = OursMicros();
            double s2 = LibSodiumMicros();
            double s = (s1 + s2) / 2;
            sodium.Add(s);
            ours.Add(o);
            ratios.Add(s / o);
        }
        ratios.Sort();
        sodium.Sort();
        ours.Sort();
        Console.WriteLine($"rounds {rounds} (each: libsodium {Keys} verifies, ours {Keys / Batch} batches of {Batch}, libsodium again)");
        Console.WriteLine($"libsodium single verify: median {sodium[rounds / 2]:F2} µs/sig");
        Console.WriteLine($"ours batch of {Batch}:     median {ours[rounds / 2]:F2} µs/sig");
        Console.WriteLine($"ratio (libsodium time / ours) per round: median {ratios[rounds / 2]:F2}×, quartiles {ratios[rounds / 4]:F2}–{ratios[3 * rounds / 4]:F2}×, min {ratios[0]:F2}×");
        return 0;
    }
}
