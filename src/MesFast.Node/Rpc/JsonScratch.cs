using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;

namespace MesFast.Node.Rpc;

/// <summary>
/// A JSON writer with its buffer, pooled: a batch of 100 transactions took a buffer and a writer per call for the
/// response and another pair for the result (four objects and two growing arrays per transaction).
/// </summary>
internal sealed class JsonScratch
{
    /// <summary>Scratches kept for reuse (enough for the calls of a few concurrent batches).</summary>
    private const int MaxPooled = 512;

    /// <summary>Buffers that grew beyond this (a large block's JSON) are not kept.</summary>
    private const int MaxPooledCapacity = 64 * 1024;

    private static readonly ConcurrentQueue<JsonScratch> s_pool = new();
    private static int s_pooled;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    private JsonScratch() => Writer = new Utf8JsonWriter(_buffer);

    public Utf8JsonWriter Writer { get; }

    /// <summary>What <see cref="Writer"/> wrote (flush it first).</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public static JsonScratch Rent()
    {
        if (s_pool.TryDequeue(out var scratch))
        {
            Interlocked.Decrement(ref s_pooled);
            return scratch;
        }
        return new JsonScratch();
    }

    /// <summary>Empties the scratch and keeps it for the next call (unless the pool is full or the buffer grew large).</summary>
    public void Return()
    {
        if (_buffer.Capacity > MaxPooledCapacity || Interlocked.Increment(ref s_pooled) > MaxPooled)
        {
            if (_buffer.Capacity <= MaxPooledCapacity) Interlocked.Decrement(ref s_pooled);
            Writer.Dispose();
            return;
        }
        _buffer.ResetWrittenCount();
        Writer.Reset(_buffer);
        s_pool.Enqueue(this);
    }
}
