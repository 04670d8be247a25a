using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>
/// The SIMD dispatch point: hashes many equal-shaped inputs (whole chunks, parent nodes, root output blocks,
/// short messages) several at a time in SIMD lanes, with the widest instruction set chosen once at start-up.
/// Every path gives the portable path's bytes; tests force each one with <see cref="Force"/>.
/// </summary>
internal static unsafe class Blake3Chunks
{
    /// <summary>The widest back end this processor supports.</summary>
    public static readonly Blake3Isa Detected =
        Blake3Avx512.IsSupported ? Blake3Isa.Avx512 :
        Blake3Avx2.IsSupported ? Blake3Isa.Avx2 :
        Blake3Sse.IsSupported ? Blake3Isa.Sse : Blake3Isa.Portable;

    // Per thread, so tests forcing different paths can run in parallel.
    [ThreadStatic] private static int t_forcedPlusOne;

    /// <summary>The back end used by the calling thread.</summary>
    public static Blake3Isa Active
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get { int f = t_forcedPlusOne; return f == 0 ? Detected : (Blake3Isa)(f - 1); }
    }

    /// <summary>All back ends this processor can run.</summary>
    public static IReadOnlyList<Blake3Isa> Supported { get; } = ListSupported();

    /// <summary>Forces a back end on the calling thread until the returned scope is disposed.</summary>
    public static ForcedIsaScope Force(Blake3Isa isa)
    {
        if (isa > Detected) throw new PlatformNotSupportedException($"BLAKE3 back end {isa} is not supported here (best: {Detected})");
        int previous = t_forcedPlusOne;
        t_forcedPlusOne = (int)isa + 1;
        return new ForcedIsaScope(previous);
    }

    internal readonly struct ForcedIsaScope(int previous) : IDisposable
    {
        public void Dispose() => t_forcedPlusOne = previous;
    }

    public static int LanesOf(Blake3Isa isa) => isa switch
    {
        Blake3Isa.Avx512 => Blake3Avx512.Lanes,
        Blake3Isa.Avx2 => Blake3Avx2.Lanes,
        Blake3Isa.Sse => Blake3Sse.Lanes,
        _ => 1,
    };

    /// <summary>
    /// Hashes <c>input.Length / 1024</c> whole chunks starting at chunk index <paramref name="chunkCounter"/>
    /// and writes one 32-byte chaining value per chunk to <paramref name="cvsOut"/> (never the root).
    /// </summary>
    public static void HashChunks(in Blake3Key key, ReadOnlySpan<byte> input, ulong chunkCounter, Span<byte> cvsOut)
    {
        int chunks = input.Length / Blake3Constants.ChunkLength;
        if (chunks == 0) return;
        if (cvsOut.Length < chunks * 32) throw new ArgumentException("output too short", nameof(cvsOut));
        fixed (byte* inputPointer = input)
        fixed (byte* outputPointer = cvsOut)
        {
            HashMany(inputPointer, Blake3Constants.ChunkLength, chunks, Blake3Constants.BlockLength / 4, key,
                chunkCounter, true, key.Flags, Blake3Constants.ChunkStart, Blake3Constants.ChunkEnd, outputPointer);
        }
    }

    /// <summary>
    /// One tree level (§2.5): the <paramref name="parents"/> parent nodes whose children are the adjacent CV pairs of
    /// <paramref name="childCvs"/> (64 bytes per parent), written as 32-byte CVs to <paramref name="parentCvs"/>,
    /// which may be <paramref name="childCvs"/> itself (each group of lanes is read before it is written).
    /// </summary>
    public static void HashParents(in Blake3Key key, byte* childCvs, int parents, byte* parentCvs)
        => HashMany(childCvs, Blake3Constants.BlockLength, parents, 1, key, 0, false,
            key.Flags | Blake3Constants.Parent, 0, 0, parentCvs);

    /// <summary>
    /// <paramref name="count"/> inputs of <paramref name="blocks"/> blocks each, <paramref name="stride"/> bytes apart,
    /// each to a 32-byte CV. Groups of lanes go through the active SIMD back end; a lone input through <see cref="Blake3Compress"/>.
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(byte* input, nint stride, int count, int blocks, in Blake3Key key, ulong counter,
        bool incrementCounter, uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Blake3Isa isa = Active;
        int lanes = LanesOf(isa);
        uint* keyWords = stackalloc uint[8];
        for (int i = 0; i < 8; i++) keyWords[i] = key.Words[i];
        byte** rows = stackalloc byte*[16];
        int done = 0;
        while (done < count)
        {
            int n = Math.Min(lanes, count - done);
            ulong groupCounter = counter + (incrementCounter ? (ulong)done : 0);
            if (n == 1)
            {
                HashOne(input + done * stride, blocks, keyWords, groupCounter, flags, flagsStart, flagsEnd, output + 32 * done);
            }
            else
            {
                // Unused lanes of a partial group repeat the last input; their results are not stored.
                for (int i = 0; i < lanes; i++) rows[i] = input + (done + Math.Min(i, n - 1)) * stride;
                byte* groupOutput = output + 32 * done;
                switch (isa)
                {
                    case Blake3Isa.Avx512:
                        Blake3Avx512.HashMany(rows, n, blocks, keyWords, groupCounter, incrementCounter, flags, flagsStart, flagsEnd, groupOutput);
                        break;
                    case Blake3Isa.Avx2:
                        Blake3Avx2.HashMany(rows, n, blocks, keyWords, groupCounter, incrementCounter, flags, flagsStart, flagsEnd, groupOutput);
                        break;
                    default:
                        Blake3Sse.HashMany(rows, n, blocks, keyWords, groupCounter, incrementCounter, flags, flagsStart, flagsEnd, groupOutput);
                        break;
                }
            }
            done += n;
        }
    }

    private static void HashOne(byte* input, int blocks, uint* keyWords, ulong counter, uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Blake3Words cv = default;
        for (int i = 0; i < 8; i++) cv[i] = keyWords[i];
        for (int b = 0; b < blocks; b++)
        {
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            Blake3Compress.InPlace(ref cv, new ReadOnlySpan<byte>(input + b * Blake3Constants.BlockLength, Blake3Constants.BlockLength),
                counter, Blake3Constants.BlockLength, blockFlags);
        }
        Blake3Portable.WriteWords(cv, new Span<byte>(output, 32));
    }

    /// <summary>
    /// Writes <c>blocks</c> whole root output blocks (64 bytes each, counters <paramref name="blockCounter"/> on) of
    /// <paramref name="root"/> to <paramref name="output"/> in SIMD lanes; returns how many it wrote (0 on the portable path).
    /// </summary>
    [SkipLocalsInit]
    public static int RootBlocks(in Blake3Output root, ulong blockCounter, Span<byte> output)
    {
        Blake3Isa isa = Active;
        int lanes = LanesOf(isa);
        int blocks = output.Length / Blake3Constants.BlockLength;
        if (isa == Blake3Isa.Portable || blocks < 2) return 0;
        uint* cv = stackalloc uint[8];
        for (int i = 0; i < 8; i++) cv[i] = root.InputCv[i];
        byte* block = stackalloc byte[Blake3Constants.BlockLength];
        ((ReadOnlySpan<byte>)root.Block).CopyTo(new Span<byte>(block, Blake3Constants.BlockLength));
        byte* lanesOut = stackalloc byte[16 * Blake3Constants.BlockLength];
        uint flags = root.Flags | Blake3Constants.Root;
        int done = 0;
        fixed (byte* outputPointer = output)
        {
            while (blocks - done >= 2)
            {
                int n = Math.Min(lanes, blocks - done);
                byte* target = outputPointer + done * Blake3Constants.BlockLength;
                ulong counter = blockCounter + (ulong)done;
                switch (isa)
                {
                    case Blake3Isa.Avx512: Blake3Avx512.RootBlocks(cv, block, counter, root.BlockLength, flags, n, target); break;
                    case Blake3Isa.Avx2: Blake3Avx2.RootBlocks(cv, block, counter, root.BlockLength, flags, n, target); break;
                    default: Blake3Sse.RootBlocks(cv, block, counter, root.BlockLength, flags, n, target); break;
                }
                done += n;
            }
        }
        return done;
    }

    /// <summary>Short messages (≤ 1 chunk), one per lane; see <see cref="Blake3Avx512.HashShortMessages"/>.</summary>
    public static void HashShortMessages(Blake3Isa isa, byte** rows, uint* blockLengths, uint* blockFlags, uint* lastBlock,
        int maxBlocks, uint* key, int count, byte* output)
    {
        switch (isa)
        {
            case Blake3Isa.Avx512: Blake3Avx512.HashShortMessages(rows, blockLengths, blockFlags, lastBlock, maxBlocks, key, count, output); break;
            case Blake3Isa.Avx2: Blake3Avx2.HashShortMessages(rows, blockLengths, blockFlags, lastBlock, maxBlocks, key, count, output); break;
            default: Blake3Sse.HashShortMessages(rows, blockLengths, blockFlags, lastBlock, maxBlocks, key, count, output); break;
        }
    }

    private static List<Blake3Isa> ListSupported()
    {
        var list = new List<Blake3Isa>();
        for (Blake3Isa isa = Blake3Isa.Portable; isa <= Detected; isa++) list.Add(isa);
        return list;
    }
}
