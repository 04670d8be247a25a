using System.Numerics;
using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// Incremental BLAKE3 (hash, keyed hash, derive-key) with extendable, seekable output. A value type of
/// about 2 KiB that never allocates: keep it in a local or a field and pass it by <c>ref</c>.
/// <see cref="Finalize(Span{byte})"/> does not change the state, so more input may follow.
/// </summary>
public struct Blake3Hasher
{
    private readonly Blake3Key _key;
    private Blake3Words _chunkCv;
    private ulong _chunkCounter;
    private Blake3Block _buffer;
    private int _bufferLength;
    private int _blocksCompressed;
    private Blake3CvStack _cvStack;
    private int _cvStackLength;

    public Blake3Hasher(in Blake3Key key)
    {
        _key = key;
        _chunkCv = key.Words;
    }

    /// <summary>A hasher in plain hash mode.</summary>
    public static Blake3Hasher CreateHash() => new(Blake3Key.Hash);

    /// <summary>A hasher in keyed mode (32-byte key).</summary>
    public static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key) => new(Blake3Key.Keyed(key));

    /// <summary>A hasher in derive-key mode for a context string.</summary>
    public static Blake3Hasher CreateDeriveKey(string context) => new(Blake3Key.DeriveKey(context));

    /// <summary>Forgets all input, keeping the mode.</summary>
    public void Reset()
    {
        _chunkCv = _key.Words;
        _chunkCounter = 0;
        _bufferLength = 0;
        _blocksCompressed = 0;
        _cvStackLength = 0;
    }

    private readonly int ChunkLengthSoFar => _blocksCompressed * Blake3Constants.BlockLength + _bufferLength;

    public void Update(ReadOnlySpan<byte> input)
    {
        // Whole chunks while the chunk state is empty go through the multi-chunk path (SIMD where present).
        // At least one byte is left for the chunk state: a chunk may only become a non-root CV once more
        // input is known to follow it.
        if (ChunkLengthSoFar == 0 && input.Length > Blake3Constants.ChunkLength)
            input = UpdateWholeChunks(input);

        while (!input.IsEmpty)
        {
            if (ChunkLengthSoFar == Blake3Constants.ChunkLength)
            {
                Blake3Words chunkCv = ChunkOutput().ChainingValue();
                AddChunkChainingValue(chunkCv, _chunkCounter + 1);
                StartChunk(_chunkCounter + 1);
                if (input.Length > Blake3Constants.ChunkLength)
                {
                    input = UpdateWholeChunks(input);
                    continue;
                }
            }

            if (_bufferLength == Blake3Constants.BlockLength)
            {
                uint start = _blocksCompressed == 0 ? Blake3Constants.ChunkStart : 0;
                Blake3Compress.InPlace(ref _chunkCv, _buffer, _chunkCounter, Blake3Constants.BlockLength, _key.Flags | start);
                _blocksCompressed++;
                _bufferLength = 0;
            }

            int take = Math.Min(Blake3Constants.BlockLength - _bufferLength, input.Length);
            if (ChunkLengthSoFar + take > Blake3Constants.ChunkLength) take = Blake3Constants.ChunkLength - ChunkLengthSoFar;
            input[..take].CopyTo(((Span<byte>)_buffer)[_bufferLength..]);
            _bufferLength += take;
            input = input[take..];
        }
    }

    /// <summary>Writes the first <c>output.Length</c> bytes of the output stream.</summary>
    public readonly void Finalize(Span<byte> output) => FinalizeSeek(0, output);

    /// <summary>Writes <c>output.Length</c> bytes of the output stream starting at byte <paramref name="seek"/>.</summary>
    public readonly void FinalizeSeek(ulong seek, Span<byte> output) => RootOutput().RootBytes(seek, output);

    /// <summary>The 32-byte default-length hash.</summary>
    public readonly Hash32 Finalize()
    {
        Span<byte> h = stackalloc byte[Hash32.Size];
        Finalize(h);
        return new Hash32(h);
    }

    private readonly Blake3Output RootOutput()
    {
        Blake3Output output = ChunkOutput();
        ReadOnlySpan<uint> stack = _cvStack;
        for (int i = _cvStackLength - 1; i >= 0; i--)
        {
            Blake3Words right = output.ChainingValue();
            output = Blake3Output.Parent(stack.Slice(i * 8, 8), right, _key);
        }
        return output;
    }

    private readonly Blake3Output ChunkOutput()
    {
        uint start = _blocksCompressed == 0 ? Blake3Constants.ChunkStart : 0;
        var o = new Blake3Output
        {
            InputCv = _chunkCv,
            Counter = _chunkCounter,
            BlockLength = (uint)_bufferLength,
            Flags = _key.Flags | start | Blake3Constants.ChunkEnd,
        };
        ((ReadOnlySpan<byte>)_buffer)[.._bufferLength].CopyTo(o.Block);
        return o;
    }

    private void StartChunk(ulong counter)
    {
        _chunkCv = _key.Words;
        _chunkCounter = counter;
        _bufferLength = 0;
        _blocksCompressed = 0;
        ((Span<byte>)_buffer).Clear();
    }

    /// <summary>
    /// Merges completed subtrees: after chunk number <paramref name="totalChunks"/> − 1, one parent per
    /// trailing zero bit of the chunk count (spec §5.1.2), so the stack holds one CV per set bit.
    /// </summary>
    private void AddChunkChainingValue(Blake3Words cv, ulong totalChunks) => AddSubtreeChainingValue(cv, 0, totalChunks);

    /// <summary>
    /// Pushes the CV of a complete subtree of 2^<paramref name="level"/> chunks that ends at chunk count
    /// <paramref name="totalChunks"/> (aligned to its size), merging like 2^level single chunks would have (§5.1.2).
    /// Only called while more input follows, so no merge can be the root.
    /// </summary>
    private void AddSubtreeChainingValue(Blake3Words cv, int level, ulong totalChunks)
    {
        Span<uint> stack = _cvStack;
        totalChunks >>= level;
        while ((totalChunks & 1) == 0)
        {
            _cvStackLength--;
            cv = Blake3Output.Parent(stack.Slice(_cvStackLength * 8, 8), cv, _key).ChainingValue();
            totalChunks >>= 1;
        }
        ((ReadOnlySpan<uint>)cv).CopyTo(stack.Slice(_cvStackLength * 8, 8));
        _cvStackLength++;
    }

    /// <summary>Chunks hashed per SIMD pass: 256 KiB of input, 8 KiB of CVs on the stack.</summary>
    private const int MaxChunksPerPass = 256;

    /// <summary>
    /// Hashes as many whole chunks as possible (leaving at least one byte): up to 256 chunks at a time in SIMD lanes
    /// (all lanes busy but the last group's), then cut into complete subtrees (a power of two chunks, aligned to the
    /// chunk counter, spec §5.1.2) whose parent levels are also computed in SIMD lanes, like the reference
    /// <c>compress_subtree_wide</c>; each subtree's CV is pushed as a single stack entry. Requires an empty chunk state.
    /// </summary>
    [SkipLocalsInit]
    private unsafe ReadOnlySpan<byte> UpdateWholeChunks(ReadOnlySpan<byte> input)
    {
        byte* cvs = stackalloc byte[MaxChunksPerPass * 32];
        while (input.Length > Blake3Constants.ChunkLength)
        {
            int available = Math.Min((input.Length - 1) / Blake3Constants.ChunkLength, MaxChunksPerPass);
            Blake3Chunks.HashChunks(_key, input[..(available * Blake3Constants.ChunkLength)], _chunkCounter, new Span<byte>(cvs, available * 32));
            for (int at = 0; at < available;)
            {
                int chunks = (int)BitOperations.RoundUpToPowerOf2((uint)(available - at) + 1) >> 1;
                while ((_chunkCounter & (ulong)(chunks - 1)) != 0) chunks >>= 1;
                byte* subtree = cvs + 32 * at;
                int level = 0;
                for (int n = chunks; n > 1; n >>= 1, level++) Blake3Chunks.HashParents(_key, subtree, n / 2, subtree);
                _chunkCounter += (ulong)chunks;
                AddSubtreeChainingValue(Blake3Portable.ReadWords(new ReadOnlySpan<byte>(subtree, 32)), level, _chunkCounter);
                at += chunks;
            }
            input = input[(available * Blake3Constants.ChunkLength)..];
        }
        StartChunk(_chunkCounter);
        return input;
    }
}
