using MesFast.Core.Codec;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

/// <summary>
/// Random mutations of valid encodings: each must either decode to something whose re-encoding is the mutated bytes
/// exactly (the encoding is canonical) or fail with a <see cref="DecodeFailure"/>; never throw. Decoding is a single
/// forward pass bounded by the input length, so a hang would show up as the test not finishing.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    /// <summary>Total mutations over all codecs: 100,000 (DESIGN §2 strictness, fuzzed).</summary>
    private const int TotalMutations = 100_000;

    public static TheoryData<string> Codecs() => TruncationTests.Codecs();

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Mutated_encodings_decode_canonically_or_fail_cleanly(string codecName)
    {
        var codec = TruncationTests.CodecsByName[codecName];
        int seed = TestSeeds.Get(3001) + codecName.Length;
        output.WriteLine($"{codec} seed {seed}");
        var random = new Random(seed);
        var rnd = new RandomObjects(random);
        int mutations = TotalMutations / TruncationTests.CodecsByName.Count;
        int accepted = 0;
        var errors = new Dictionary<DecodeError, int>();
        byte[] original = codec.RandomValid(rnd);
        for (int n = 0; n < mutations; n++)
        {
            if (n % 200 == 0) original = codec.RandomValid(rnd);
            byte[] mutated = Mutate(original, random);
            bool ok;
            byte[]? reencoded;
            DecodeFailure failure;
            try
            {
                ok = codec.TryDecodeAndReencode(mutated, out reencoded, out failure);
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {n} threw {e.GetType().Name}: {e.Message}; input {Convert.ToHexString(mutated)}");
                throw;
            }
            if (ok)
            {
                accepted++;
                Assert.Equal(mutated, reencoded);
            }
            else
            {
                Assert.NotEqual(DecodeError.None, failure.Error);
                Assert.InRange(failure.Offset, 0, mutated.Length);
                errors[failure.Error] = errors.GetValueOrDefault(failure.Error) + 1;
            }
        }
        output.WriteLine($"{mutations} mutations: {accepted} decoded canonically, rejected: "
            + string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
    }

    internal static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: // bit flip
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // insert a random byte
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0: // delete a run of bytes
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(4)));
                    break;
                case 3: // overwrite with a random varint, sometimes non-minimal or over u32
                    byte[] varint = RandomVarint(random);
                    for (int i = 0; i < varint.Length; i++)
                    {
                        if (at + i < bytes.Count) bytes[at + i] = varint[i];
                        else bytes.Add(varint[i]);
                    }
                    break;
                default: // random byte value
                    if (bytes.Count > 0) bytes[at] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. bytes];
    }

    private static byte[] RandomVarint(Random random)
    {
        ulong value = random.Next(4) switch
        {
            0 => (ulong)random.Next(128),
            1 => (ulong)random.Next(300),
            2 => (ulong)random.NextInt64(1L << 36),
            _ => (ulong)random.Next(),
        };
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        if (random.Next(4) == 0) // pad non-minimally
        {
            bytes[^1] |= 0x80;
            bytes.Add(0);
        }
        return [.. bytes];
    }
}
