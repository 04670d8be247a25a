using MesFast.Core.Codec;
using MesFast.Core.Types;
using MesFast.Crypto;
using Xunit.Abstractions;

namespace MesFast.Core.Tests;

public class HeaderCodecTests(ITestOutputHelper output)
{
    [Fact]
    public void Random_headers_round_trip_and_views_agree_with_models()
    {
        int seed = TestSeeds.Get(4001);
        output.WriteLine($"seed {seed}");
        var rnd = new RandomObjects(new Random(seed));
        for (int n = 0; n < 200; n++)
        {
            var header = rnd.Header();
            byte[] bytes = header.ToBytes();
            Assert.Equal(HeaderView.EncodedSize, bytes.Length);
            Assert.True(HeaderView.TryDecode(bytes, out var view, out var failure), failure.ToString());
            Assert.Equal(header, BlockHeader.FromView(view)); // record equality over every field
            Assert.Equal(DomainHash.Compute(DomainHash.Header, bytes), view.ComputeHash());
            Assert.Equal(view.ComputeHash(), header.ComputeHash());
        }
    }

    [Fact]
    public void Field_offsets_are_pinned()
    {
        var header = new BlockHeader
        {
            ChainId = 0x04030201, Height = 0x0c0b0a0908070605, TimeMs = 1, Epoch = 2, View = 3,
            Prev = new Hash32(TxCodecTests.Filled(32, 0xA1)), TxRoot = new Hash32(TxCodecTests.Filled(32, 0xA2)),
            StateRoot = new Hash32(TxCodecTests.Filled(32, 0xA3)), WitnessSetHash = new Hash32(TxCodecTests.Filled(32, 0xA4)),
            Proposer = 0x0201, NextWitnessCount = 21, LastCommitHash = new Hash32(TxCodecTests.Filled(32, 0xA5)),
        };
        string expected = "01" + "01020304" + "05060708090a0b0c" + "0100000000000000" + "02000000" + "03000000"
            + string.Concat(Enumerable.Repeat("a1", 32)) + string.Concat(Enumerable.Repeat("a2", 32))
            + string.Concat(Enumerable.Repeat("a3", 32)) + string.Concat(Enumerable.Repeat("a4", 32))
            + "0102" + "1500" + string.Concat(Enumerable.Repeat("a5", 32));
        Assert.Equal(expected, Convert.ToHexStringLower(header.ToBytes()));
    }

    [Fact]
    public void Header_version_2_rejected()
    {
        byte[] bytes = new RandomObjects(new Random(4002)).Header().ToBytes();
        bytes[0] = 2;
        Assert.False(HeaderView.TryDecode(bytes, out _, out var f));
        Assert.Equal("version: unknown version at offset 0", f.ToString());
    }

    [Fact]
    public void Header_trailing_bytes_rejected()
    {
        byte[] bytes = [.. new RandomObjects(new Random(4003)).Header().ToBytes(), 0];
        Assert.False(HeaderView.TryDecode(bytes, out _, out var f));
        Assert.Equal((DecodeError.TrailingBytes, HeaderView.EncodedSize), (f.Error, f.Offset));
    }
}
