using MesFast.Core.Codec;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

public class TruncationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Codecs() => [.. CodecsByName.Keys];

    internal static readonly Dictionary<string, CodecUnderTest> CodecsByName = new()
    {
        ["tx"] = CodecUnderTest.Tx,
        ["header"] = CodecUnderTest.Header,
        ["cert"] = CodecUnderTest.Certificate,
        ["block"] = CodecUnderTest.Block,
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Every_prefix_of_a_valid_encoding_is_an_error_not_an_exception(string codecName)
    {
        var codec = CodecsByName[codecName];
        int seed = TestSeeds.Get(2001);
        output.WriteLine($"{codec} seed {seed}");
        var rnd = new RandomObjects(new Random(seed));
        for (int n = 0; n < 20; n++)
        {
            byte[] bytes = codec.RandomValid(rnd);
            Assert.True(codec.TryDecodeAndReencode(bytes, out var again, out var ok), ok.ToString());
            Assert.Equal(bytes, again);
            for (int length = 0; length < bytes.Length; length++)
            {
                bool decoded = codec.TryDecodeAndReencode(bytes[..length], out _, out var failure);
                Assert.False(decoded, $"prefix of {length}/{bytes.Length} bytes decoded");
                Assert.Equal(DecodeError.Truncated, failure.Error);
                Assert.InRange(failure.Offset, 0, length);
            }
        }
    }
}
