using System.Text;
using System.Text.Json;

namespace MesFast.Crypto.Tests;

/// <summary>Every case of the official BLAKE3 vectors, in every mode, at every output length up to the vector's 131 bytes.</summary>
public sealed class Blake3VectorTests
{
    public sealed record VectorCase(int InputLength, byte[] Hash, byte[] KeyedHash, byte[] DeriveKey);

    private static readonly Lazy<(byte[] Key, string Context, VectorCase[] Cases)> Vectors = new(Load);

    private static (byte[], string, VectorCase[]) Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("blake3_test_vectors.json")));
        JsonElement root = doc.RootElement;
        byte[] key = Encoding.ASCII.GetBytes(root.GetProperty("key").GetString()!);
        string context = root.GetProperty("context_string").GetString()!;
        var cases = new List<VectorCase>();
        foreach (JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            cases.Add(new VectorCase(
                c.GetProperty("input_len").GetInt32(),
                Convert.FromHexString(c.GetProperty("hash").GetString()!),
                Convert.FromHexString(c.GetProperty("keyed_hash").GetString()!),
                Convert.FromHexString(c.GetProperty("derive_key").GetString()!)));
        }
        return (key, context, cases.ToArray());
    }

    /// <summary>The vectors' input pattern: bytes 0, 1, …, 250 repeating.</summary>
    internal static byte[] PatternInput(int length)
    {
        var input = new byte[length];
        for (int i = 0; i < length; i++) input[i] = (byte)(i % 251);
        return input;
    }

    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Vectors.Value.Cases.Length; i++) data.Add(i);
        return data;
    }

    public static TheoryData<int, string> CaseIndexesAndPaths()
    {
        var data = new TheoryData<int, string>();
        foreach (Blake3Isa isa in Blake3Chunks.Supported)
            for (int i = 0; i < Vectors.Value.Cases.Length; i++) data.Add(i, isa.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Official_vector_matches_in_all_modes_and_lengths(int index) => CheckVector(index);

    /// <summary>The same vectors through each back end forced on this thread (portable, SSSE3, AVX2, AVX-512).</summary>
    [Theory]
    [MemberData(nameof(CaseIndexesAndPaths))]
    public void Official_vector_matches_through_forced_path(int index, string path)
    {
        using var _ = Blake3Chunks.Force(Blake3SimdPathTests.Parse(path));
        CheckVector(index);
    }

    private static void CheckVector(int index)
    {
        (byte[] key, string context, VectorCase[] cases) = Vectors.Value;
        VectorCase v = cases[index];
        byte[] input = PatternInput(v.InputLength);
        var modes = new (Blake3Key Mode, byte[] Expected, string Name)[]
        {
            (Blake3Key.Hash, v.Hash, "hash"),
            (Blake3Key.Keyed(key), v.KeyedHash, "keyed_hash"),
            (Blake3Key.DeriveKey(context), v.DeriveKey, "derive_key"),
        };
        foreach ((Blake3Key mode, byte[] expected, string name) in modes)
        {
            // One-shot, every prefix length of the extended output.
            for (int outLen = 0; outLen <= expected.Length; outLen++)
            {
                var output = new byte[outLen];
                Blake3.Hash(mode, input, output);
                Assert.True(expected.AsSpan(0, outLen).SequenceEqual(output), $"{name} len={v.InputLength} out={outLen}");
            }

            // Seeking into the output stream.
            for (int seek = 0; seek < expected.Length; seek += 7)
            {
                var output = new byte[expected.Length - seek];
                Blake3.Hash(mode, input, output, (ulong)seek);
                Assert.True(expected.AsSpan(seek).SequenceEqual(output), $"{name} len={v.InputLength} seek={seek}");
            }

            // Incremental, in uneven pieces.
            var hasher = new Blake3Hasher(mode);
            int pos = 0, step = 1;
            while (pos < input.Length)
            {
                int take = Math.Min(step, input.Length - pos);
                hasher.Update(input.AsSpan(pos, take));
                pos += take;
                step = step * 3 + 1;
            }
            var inc = new byte[expected.Length];
            hasher.Finalize(inc);
            Assert.True(expected.AsSpan().SequenceEqual(inc), $"{name} incremental len={v.InputLength}");
            Assert.True(expected.AsSpan(0, 32).SequenceEqual(hasher.Finalize().Span), $"{name} Hash32 len={v.InputLength}");
        }
    }

    [Fact]
    public void Convenience_entry_points_match_the_modes()
    {
        (byte[] key, string context, VectorCase[] cases) = Vectors.Value;
        VectorCase v = cases[^1];
        byte[] input = PatternInput(v.InputLength);
        var output = new byte[32];
        Blake3.KeyedHash(key, input, output);
        Assert.Equal(v.KeyedHash.AsSpan(0, 32).ToArray(), output);
        Blake3.DeriveKey(context, input, output);
        Assert.Equal(v.DeriveKey.AsSpan(0, 32).ToArray(), output);
        Assert.Equal(v.Hash.AsSpan(0, 32).ToArray(), Blake3.Hash(input).ToArray());
        var hasher = Blake3Hasher.CreateKeyed(key);
        hasher.Update(input);
        hasher.Finalize(output);
        Assert.Equal(v.KeyedHash.AsSpan(0, 32).ToArray(), output);
        hasher.Reset();
        hasher.Update(input);
        hasher.Finalize(output);
        Assert.Equal(v.KeyedHash.AsSpan(0, 32).ToArray(), output);
    }

    [Fact]
    public void Keyed_mode_rejects_wrong_key_length()
    {
        var ex = Assert.Throws<ArgumentException>(() => Blake3Key.Keyed(new byte[31]));
        Assert.Contains("32 bytes", ex.Message, StringComparison.Ordinal);
    }
}
