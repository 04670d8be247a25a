using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MesFast.Crypto;

/// <summary>
/// BLAKE3 of many independent messages at once (e.g. transaction ids). Messages of at most one chunk (1,024 bytes)
/// are a single chunk that is also the root (spec §2.6), so they hash one per SIMD lane; longer ones go through the
/// one-shot hasher. Every result equals <see cref="Blake3.Hash(in Blake3Key, ReadOnlySpan{byte})"/> of that message.
/// </summary>
public static unsafe class Blake3Batch
{
    private const int MaxLanes = 16;
    private const int MaxBlocks = Blake3Constants.ChunkLength / Blake3Constants.BlockLength;

    /// <summary>
    /// Hashes message i = <c>messages[offsets[i]..offsets[i + 1]]</c> for i &lt; n = <c>offsets.Length − 1</c>
    /// into <c>hashes[32 i..32 i + 32]</c>.
    /// </summary>
    public static void Hash(in Blake3Key mode, ReadOnlySpan<byte> messages, ReadOnlySpan<int> offsets, Span<byte> hashes)
    {
        int count = Validate(messages, offsets, hashes.Length, Hash32.Size);
        if (count == 0) return;
        Blake3Isa isa = Blake3Chunks.Active;
        if (isa == Blake3Isa.Portable)
        {
            for (int i = 0; i < count; i++)
                Blake3.Hash(mode, messages[offsets[i]..offsets[i + 1]], hashes.Slice(32 * i, 32));
            return;
        }

        // Counting sort by block count so that each group of lanes runs (nearly) the same number of blocks.
        int[]? rented = null;
        Span<int> order = count <= 1024 ? stackalloc int[count] : (rented = ArrayPool<int>.Shared.Rent(count)).AsSpan(0, count);
        Span<int> bucketStart = stackalloc int[MaxBlocks + 2];
        bucketStart.Clear();
        for (int i = 0; i < count; i++) bucketStart[BucketOf(offsets[i + 1] - offsets[i]) + 1]++;
        for (int b = 1; b < bucketStart.Length; b++) bucketStart[b] += bucketStart[b - 1];
        for (int i = 0; i < count; i++) order[bucketStart[BucketOf(offsets[i + 1] - offsets[i])]++] = i;
        // Buckets 0..15 hold messages of 1..16 blocks, bucket 16 the longer ones; after the fill, bucketStart[b] is the end of bucket b.
        int shortCount = bucketStart[MaxBlocks - 1];

        fixed (byte* messagesPointer = messages)
        fixed (byte* hashesPointer = hashes)
        {
            HashShort(isa, mode, messagesPointer, offsets, order[..shortCount], hashesPointer);
        }
        for (int k = shortCount; k < count; k++)
        {
            int i = order[k];
            Blake3.Hash(mode, messages[offsets[i]..offsets[i + 1]], hashes.Slice(32 * i, 32));
        }
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>As <see cref="Hash(in Blake3Key, ReadOnlySpan{byte}, ReadOnlySpan{int}, Span{byte})"/>, into <see cref="Hash32"/> values.</summary>
    public static void Hash(in Blake3Key mode, ReadOnlySpan<byte> messages, ReadOnlySpan<int> offsets, Span<Hash32> hashes)
    {
        if (hashes.Length < offsets.Length - 1)
            throw new ArgumentException($"need {offsets.Length - 1} hashes, got {hashes.Length}", nameof(hashes));
        if (Unsafe.SizeOf<Hash32>() != Hash32.Size) throw new InvalidOperationException("Hash32 is not 32 plain bytes");
        Hash(mode, messages, offsets, MemoryMarshal.AsBytes(hashes));
    }

    /// <summary>0..15 for messages of 1..16 blocks (the empty message is one empty block), 16 for longer messages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BucketOf(int length) => length > Blake3Constants.ChunkLength ? MaxBlocks : BlocksOf(length) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BlocksOf(int length) => length == 0 ? 1 : (length + Blake3Constants.BlockLength - 1) / Blake3Constants.BlockLength;

    private static int Validate(ReadOnlySpan<byte> messages, ReadOnlySpan<int> offsets, int outputLength, int size)
    {
        if (offsets.IsEmpty) throw new ArgumentException("offsets needs n + 1 entries", nameof(offsets));
        int count = offsets.Length - 1;
        if ((long)outputLength < (long)count * size)
            throw new ArgumentException($"need {(long)count * size} output bytes for {count} messages, got {outputLength}", nameof(offsets));
        for (int i = 0; i < count; i++)
        {
            if (offsets[i] < 0 || offsets[i] > offsets[i + 1] || offsets[i + 1] > messages.Length)
                throw new ArgumentOutOfRangeException(nameof(offsets), $"message {i} spans [{offsets[i]}, {offsets[i + 1]}) outside [0, {messages.Length}] or backwards");
        }
        return count;
    }

    /// <summary>
    /// Groups of lanes of short messages (given in ascending block count): per lane and block a row pointer (the
    /// message itself, or a zero-padded copy of its last partial block), the block length and the flags
    /// (CHUNK_START on block 0; CHUNK_END | ROOT on the last, spec §2.4 and §2.6).
    /// </summary>
    [SkipLocalsInit]
    private static void HashShort(Blake3Isa isa, in Blake3Key mode, byte* messages, ReadOnlySpan<int> offsets, ReadOnlySpan<int> order, byte* hashes)
    {
        int lanes = Blake3Chunks.LanesOf(isa);
        byte** rows = stackalloc byte*[MaxBlocks * MaxLanes];
        uint* blockLengths = stackalloc uint[MaxBlocks * MaxLanes];
        uint* blockFlags = stackalloc uint[MaxBlocks * MaxLanes];
        uint* lastBlock = stackalloc uint[MaxLanes];
        byte* padded = stackalloc byte[MaxLanes * Blake3Constants.BlockLength];
        byte* zeroBlock = stackalloc byte[Blake3Constants.BlockLength];
        byte* laneHashes = stackalloc byte[MaxLanes * Hash32.Size];
        uint* key = stackalloc uint[8];
        for (int i = 0; i < 8; i++) key[i] = mode.Words[i];
        new Span<byte>(zeroBlock, Blake3Constants.BlockLength).Clear();
        uint modeFlags = mode.Flags;

        for (int done = 0; done < order.Length; done += lanes)
        {
            int n = Math.Min(lanes, order.Length - done);
            int maxBlocks = 1;
            for (int lane = 0; lane < lanes; lane++)
            {
                // Unused lanes repeat the group's last message; their hashes are not stored.
                int message = order[done + Math.Min(lane, n - 1)];
                int start = offsets[message];
                int length = offsets[message + 1] - start;
                int blocks = BlocksOf(length);
                if (blocks > MaxBlocks) throw new InvalidOperationException("a message longer than one chunk reached the lane path");
                maxBlocks = Math.Max(maxBlocks, blocks);
                lastBlock[lane] = (uint)(blocks - 1);
                int lastLength = length - (blocks - 1) * Blake3Constants.BlockLength;
                byte* lastRow = padded + lane * Blake3Constants.BlockLength;
                var lastCopy = new Span<byte>(lastRow, Blake3Constants.BlockLength);
                new ReadOnlySpan<byte>(messages + start + (blocks - 1) * Blake3Constants.BlockLength, lastLength).CopyTo(lastCopy);
                lastCopy[lastLength..].Clear();
                for (int b = 0; b < blocks; b++)
                {
                    int at = b * MaxLanes + lane;
                    bool last = b == blocks - 1;
                    rows[at] = last ? lastRow : messages + start + b * Blake3Constants.BlockLength;
                    blockLengths[at] = last ? (uint)lastLength : Blake3Constants.BlockLength;
                    blockFlags[at] = modeFlags | (b == 0 ? Blake3Constants.ChunkStart : 0)
                        | (last ? Blake3Constants.ChunkEnd | Blake3Constants.Root : 0);
                }
                for (int b = blocks; b < MaxBlocks; b++)
                {
                    int at = b * MaxLanes + lane;
                    rows[at] = zeroBlock;
                    blockLengths[at] = 0;
                    blockFlags[at] = 0;
                }
            }
            // Rows are laid out with a stride of MaxLanes per block; compact them to the back end's lane count.
            if (lanes != MaxLanes)
            {
                for (int b = 0; b < maxBlocks; b++)
                {
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        rows[b * lanes + lane] = rows[b * MaxLanes + lane];
                        blockLengths[b * lanes + lane] = blockLengths[b * MaxLanes + lane];
                        blockFlags[b * lanes + lane] = blockFlags[b * MaxLanes + lane];
                    }
                }
            }
            Blake3Chunks.HashShortMessages(isa, rows, blockLengths, blockFlags, lastBlock, maxBlocks, key, n, laneHashes);
            for (int lane = 0; lane < n; lane++)
                Unsafe.CopyBlockUnaligned(hashes + Hash32.Size * order[done + lane], laneHashes + Hash32.Size * lane, Hash32.Size);
        }
    }
}
