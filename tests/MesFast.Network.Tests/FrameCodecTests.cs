using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using MesFast.Network.Framing;

namespace MesFast.Network.Tests;

public class FrameCodecTests
{
    private static (FrameType Type, byte[] Payload) ReadOne(byte[] wire)
    {
        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.True(FrameReader.TryRead(ref buffer, out FrameType type, out byte[] pooled, out int length, out FrameError error), error.ToString());
        Assert.Equal(0, buffer.Length);
        byte[] payload = pooled.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(pooled);
        return (type, payload);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(200_000)]
    public void RoundTrip_CompressibleAndRandom(int length)
    {
        var rng = new Random(length);
        var random = new byte[length];
        rng.NextBytes(random);
        var repetitive = new byte[length];
        for (int i = 0; i < length; i++) repetitive[i] = (byte)(i % 7);
        foreach (byte[] payload in new[] { random, repetitive })
        {
            byte[] wire = FrameWriter.Encode(FrameType.Transaction, payload);
            var (type, decoded) = ReadOne(wire);
            Assert.Equal(FrameType.Transaction, type);
            Assert.Equal(payload, decoded);
            if (ReferenceEquals(payload, repetitive) && length >= FrameLimits.CompressionThreshold)
            {
                Assert.Equal(FrameLimits.FlagLz4, wire[5]);
                Assert.True(wire.Length < length / 4, "repetitive payloads are compressed");
            }
            if (ReferenceEquals(payload, random)) Assert.Equal(0, wire[5]); // incompressible: sent raw
        }
    }

    [Fact]
    public async Task Frames_SplitAcrossSegmentsAndReads_AreReassembled()
    {
        var pipe = new Pipe();
        var rng = new Random(5);
        var payloads = new List<byte[]>();
        var wire = new List<byte>();
        for (int i = 0; i < 50; i++)
        {
            var p = new byte[rng.Next(0, 5000)];
            if (i % 2 == 0) rng.NextBytes(p);
            payloads.Add(p);
            wire.AddRange(FrameWriter.Encode(FrameType.Consensus, p));
        }
        byte[] all = [.. wire];
        var writer = Task.Run(async () =>
        {
            for (int at = 0; at < all.Length;)
            {
                int n = Math.Min(all.Length - at, rng.Next(1, 700));
                await pipe.Writer.WriteAsync(all.AsMemory(at, n));
                at += n;
            }
            await pipe.Writer.CompleteAsync();
        });
        var received = new List<byte[]>();
        while (true)
        {
            ReadResult result = await pipe.Reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (FrameReader.TryRead(ref buffer, out FrameType type, out byte[] pooled, out int length, out FrameError error))
            {
                Assert.Equal(FrameType.Consensus, type);
                received.Add(pooled.AsSpan(0, length).ToArray());
                ArrayPool<byte>.Shared.Return(pooled);
            }
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) break;
        }
        await writer;
        Assert.Equal(payloads.Count, received.Count);
        for (int i = 0; i < payloads.Count; i++) Assert.Equal(payloads[i], received[i]);
    }

    private static FrameError ErrorOf(byte[] wire)
    {
        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.False(FrameReader.TryRead(ref buffer, out _, out _, out _, out FrameError error));
        return error;
    }

    [Fact]
    public void Malformed_HeadersAreRejectedWithAReason()
    {
        byte[] ok = FrameWriter.Encode(FrameType.Ping, new byte[8]);
        byte[] unknownType = (byte[])ok.Clone();
        unknownType[4] = 0x7f;
        Assert.Equal(FrameError.UnknownType, ErrorOf(unknownType));
        byte[] badFlags = (byte[])ok.Clone();
        badFlags[5] = 0x80;
        Assert.Equal(FrameError.UnknownFlags, ErrorOf(badFlags));
        byte[] tooLarge = (byte[])ok.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooLarge, 0x7fff_ffff);
        Assert.Equal(FrameError.TooLarge, ErrorOf(tooLarge));
        byte[] tooShort = (byte[])ok.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooShort, 1);
        Assert.Equal(FrameError.TooShort, ErrorOf(tooShort));
        // Truncated: not an error, just "need more bytes".
        Assert.Equal(FrameError.None, ErrorOf(ok.AsSpan(0, ok.Length - 1).ToArray()));
        Assert.Equal(FrameError.None, ErrorOf(ok.AsSpan(0, 3).ToArray()));
    }

    [Fact]
    public void Malformed_Compression_IsRejected()
    {
        var repetitive = new byte[10_000];
        byte[] wire = FrameWriter.Encode(FrameType.Transaction, repetitive);
        Assert.Equal(FrameLimits.FlagLz4, wire[5]);
        byte[] wrongLength = (byte[])wire.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(wrongLength.AsSpan(6), 10_001);
        Assert.Equal(FrameError.BadCompression, ErrorOf(wrongLength));
        byte[] hugeLength = (byte[])wire.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(hugeLength.AsSpan(6), uint.MaxValue);
        Assert.Equal(FrameError.TooLarge, ErrorOf(hugeLength));
        byte[] noLength = FrameWriter.Encode(FrameType.Transaction, [1, 2]);
        noLength[5] = FrameLimits.FlagLz4;
        Assert.Equal(FrameError.BadCompression, ErrorOf(noLength));
    }

    /// <summary>Random corruption of valid frames: the reader returns a frame, an error or "need more", never throws.</summary>
    [Fact]
    public void Fuzz_RandomMutations_NeverThrow()
    {
        var rng = new Random(11);
        var repetitive = new byte[3000];
        for (int i = 0; i < repetitive.Length; i++) repetitive[i] = (byte)(i / 100);
        byte[][] seeds = [FrameWriter.Encode(FrameType.Transaction, repetitive), FrameWriter.Encode(FrameType.Status, new byte[40]), FrameWriter.Encode(FrameType.GetPeers, [])];
        for (int round = 0; round < 20_000; round++)
        {
            byte[] wire = (byte[])seeds[round % seeds.Length].Clone();
            int mutations = rng.Next(1, 4);
            for (int m = 0; m < mutations; m++) wire[rng.Next(wire.Length)] = (byte)rng.Next(256);
            if (rng.Next(4) == 0) wire = wire.AsSpan(0, rng.Next(wire.Length)).ToArray();
            var buffer = new ReadOnlySequence<byte>(wire);
            if (FrameReader.TryRead(ref buffer, out _, out byte[] pooled, out _, out _)) ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}
