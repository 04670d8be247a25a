using MesFast.Core.Codec;

namespace MesFast.Core.Tests;

public class VarintTests
{
    private static (bool Ok, uint Value, DecodeFailure Failure, int Offset) Read(string hex)
    {
        var reader = new CodecReader(Convert.FromHexString(hex));
        reader.At("n");
        bool ok = reader.TryReadVarint(out uint value);
        return (ok, value, reader.Failure, reader.Offset);
    }

    [Theory]
    [InlineData("00", 0u)]
    [InlineData("7f", 127u)]
    [InlineData("8001", 128u)]
    [InlineData("ff7f", 16383u)]
    [InlineData("808001", 16384u)]
    [InlineData("ffffffff0f", uint.MaxValue)]
    public void Minimal_varints_decode(string hex, uint expected)
    {
        var r = Read(hex);
        Assert.True(r.Ok, r.Failure.ToString());
        Assert.Equal(expected, r.Value);
        Assert.Equal(hex.Length / 2, r.Offset);
    }

    [Fact]
    public void Size_matches_the_bytes_written()
    {
        var values = new List<uint> { 0, 1, 127, 128, 16383, 16384, (1u << 21) - 1, 1u << 21, (1u << 28) - 1, 1u << 28, uint.MaxValue };
        var rng = new Random(TestSeeds.Get(4211));
        for (int i = 0; i < 1000; i++) values.Add((uint)rng.NextInt64(0, 1L << rng.Next(1, 33)));
        var buffer = new byte[5];
        foreach (uint v in values)
        {
            var w = new CodecWriter(buffer);
            w.WriteVarint(v);
            Assert.True(w.Offset == CodecWriter.VarintSize(v), $"value {v}: wrote {w.Offset} bytes, size says {CodecWriter.VarintSize(v)}");
        }
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ff00")]
    [InlineData("808000")]
    [InlineData("8080808000")]
    public void Non_minimal_varint_rejected(string hex) =>
        Assert.Equal(DecodeError.NonMinimalVarint, Read(hex).Failure.Error);

    [Theory]
    [InlineData("ffffffff10")] // 2^32
    [InlineData("ffffffff1f")]
    [InlineData("808080808001")] // six bytes
    [InlineData("ffffffff8f")] // continuation on the fifth byte
    public void Varint_over_u32_rejected(string hex) =>
        Assert.Equal(DecodeError.VarintOverflow, Read(hex).Failure.Error);

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("ffffffff")]
    public void Truncated_varint_rejected(string hex) =>
        Assert.Equal(DecodeError.Truncated, Read(hex).Failure.Error);

    [Fact]
    public void Writer_and_size_agree_with_reader_for_boundaries()
    {
        uint[] values = [0, 1, 127, 128, 16383, 16384, (1u << 21) - 1, 1u << 21, (1u << 28) - 1, 1u << 28, uint.MaxValue];
        Span<byte> buffer = stackalloc byte[Varint.MaxBytes];
        foreach (uint v in values)
        {
            var writer = new CodecWriter(buffer);
            writer.WriteVarint(v);
            Assert.Equal(Varint.SizeOf(v), writer.Offset);
            var reader = new CodecReader(buffer[..writer.Offset]);
            Assert.True(reader.TryReadVarint(out uint back));
            Assert.Equal(v, back);
            Assert.True(reader.TryReadEnd());
        }
    }

    [Fact]
    public void Failure_text_names_field_index_and_offset()
    {
        var f = new DecodeFailure(DecodeError.Truncated, 112, "inputs", 3, "index");
        Assert.Equal("inputs[3].index: truncated at offset 112", f.ToString());
        var g = new DecodeFailure(DecodeError.Truncated, 112, "inputs", 3, "index", "txs", 2);
        Assert.Equal("txs[2].inputs[3].index: truncated at offset 112", g.ToString());
    }
}
