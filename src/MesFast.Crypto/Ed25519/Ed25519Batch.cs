using System.Buffers;
using System.Security.Cryptography;

namespace MesFast.Crypto;

/// <summary>
/// Batch Ed25519 verification under the ZIP-215 rules, structure-of-arrays input. Accepts exactly the items
/// <see cref="Ed25519.Verify"/> accepts (up to a 2^-127 chance that a bad item inside a passing random
/// combination is accepted). Span length mismatches are programmer errors and throw <see cref="ArgumentException"/>;
/// invalid signatures never throw.
/// </summary>
public static class Ed25519Batch
{
    /// <summary>Items per chunk in <see cref="VerifyParallel(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{int}, Span{bool})"/>.</summary>
    public const int ParallelChunkSize = 64;

    /// <summary>
    /// Largest number of items combined into one multi-scalar multiplication; longer batches are verified as
    /// consecutive sub-batches of this size (bounds the scratch memory; Straus' cost per item is flat beyond it).
    /// </summary>
    public const int MaxCombinedItems = 256;

    /// <summary>
    /// Verifies item i = (publicKeys[32i..], signatures[64i..], messages[messageOffsets[i]..messageOffsets[i+1]]).
    /// Writes the verdict to valid[i]; returns the number of invalid items. n = valid.Length.
    /// </summary>
    public static int Verify(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        ReadOnlySpan<int> messageOffsets, Span<bool> valid)
    {
        CheckShapes(publicKeys, signatures, valid.Length);
        CheckOffsets(messages, messageOffsets, valid.Length);
        int invalid = 0;
        for (int start = 0; start < valid.Length; start += MaxCombinedItems)
        {
            int count = Math.Min(MaxCombinedItems, valid.Length - start);
            // Offsets stay absolute into the whole message buffer.
            invalid += VerifyCore(publicKeys.Slice(start * 32, count * 32), signatures.Slice(start * 64, count * 64), messages,
                messageOffsets.Slice(start, count + 1), 0, valid.Slice(start, count));
        }
        return invalid;
    }

    /// <summary>Fixed-length messages (e.g. 32-byte transaction ids): message i = messages[i·messageLength ..].</summary>
    public static int Verify(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        int messageLength, Span<bool> valid)
    {
        CheckShapes(publicKeys, signatures, valid.Length);
        CheckFixed(messages, messageLength, valid.Length);
        int invalid = 0;
        for (int start = 0; start < valid.Length; start += MaxCombinedItems)
        {
            int count = Math.Min(MaxCombinedItems, valid.Length - start);
            invalid += VerifyCore(publicKeys.Slice(start * 32, count * 32), signatures.Slice(start * 64, count * 64),
                messages.Slice(start * messageLength, count * messageLength), default, messageLength, valid.Slice(start, count));
        }
        return invalid;
    }

    /// <summary>Same contract as <see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{int}, Span{bool})"/>, chunks spread over all cores.</summary>
    public static unsafe int VerifyParallel(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        ReadOnlySpan<int> messageOffsets, Span<bool> valid)
    {
        CheckShapes(publicKeys, signatures, valid.Length);
        CheckOffsets(messages, messageOffsets, valid.Length);
        fixed (byte* pk = publicKeys)
        fixed (byte* sig = signatures)
        fixed (byte* msg = messages)
        fixed (int* off = messageOffsets)
        fixed (bool* ok = valid)
        {
            return RunParallel(new Inputs((nint)pk, (nint)sig, (nint)msg, messages.Length, (nint)off, 0, (nint)ok, valid.Length));
        }
    }

    /// <summary>Fixed-length messages, chunks spread over all cores.</summary>
    public static unsafe int VerifyParallel(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        int messageLength, Span<bool> valid)
    {
        CheckShapes(publicKeys, signatures, valid.Length);
        CheckFixed(messages, messageLength, valid.Length);
        fixed (byte* pk = publicKeys)
        fixed (byte* sig = signatures)
        fixed (byte* msg = messages)
        fixed (bool* ok = valid)
        {
            return RunParallel(new Inputs((nint)pk, (nint)sig, (nint)msg, messages.Length, 0, messageLength, (nint)ok, valid.Length));
        }
    }

    /// <summary>Pinned inputs (spans cannot be captured by the parallel body; the caller keeps them pinned).</summary>
    private readonly record struct Inputs(nint PublicKeys, nint Signatures, nint Messages, int MessagesLength,
        nint Offsets, int MessageLength, nint Valid, int Count);

    private static unsafe int RunParallel(Inputs inputs)
    {
        int n = inputs.Count;
        if (n <= ParallelChunkSize)
        {
            return ChunkCore(inputs, 0, n);
        }
        int chunks = (n + ParallelChunkSize - 1) / ParallelChunkSize;
        int invalid = 0;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            int start = c * ParallelChunkSize;
            int count = Math.Min(ParallelChunkSize, n - start);
            int bad = ChunkCore(inputs, start, count);
            if (bad != 0) Interlocked.Add(ref invalid, bad);
        });
        return invalid;
    }

    private static unsafe int ChunkCore(Inputs inputs, int start, int count)
    {
        var pk = new ReadOnlySpan<byte>((byte*)inputs.PublicKeys + (start * 32), count * 32);
        var sig = new ReadOnlySpan<byte>((byte*)inputs.Signatures + (start * 64), count * 64);
        var msg = new ReadOnlySpan<byte>((byte*)inputs.Messages, inputs.MessagesLength);
        var ok = new Span<bool>((bool*)inputs.Valid + start, count);
        if (inputs.Offsets != 0)
        {
            // Offsets stay absolute into the whole message buffer.
            var off = new ReadOnlySpan<int>((int*)inputs.Offsets + start, count + 1);
            return VerifyCore(pk, sig, msg, off, 0, ok);
        }
        // Fixed-length: slice the messages so item i of the chunk is at i·length.
        var fixedMsg = msg.Slice(start * inputs.MessageLength, count * inputs.MessageLength);
        return VerifyCore(pk, sig, fixedMsg, default, inputs.MessageLength, ok);
    }

    /// <summary>Per-batch scratch, one per thread, grown on demand (no allocation in the steady state).</summary>
    private sealed class Scratch
    {
        public EdwardsPoint[] Points = [];     // 2 per item: R_i, A_i
        public byte[] Scalars = [];            // 2×32 per item: z_i, z_i·k_i mod L
        public Scalar[] ZS = [];               // z_i·S_i mod L
        public int[] Index = [];               // compacted item → original index
        public EdwardsPoint[] APoints = [];
        public EdwardsPoint[] RPoints = [];
        public Scalar[] K = [];
        public byte[] Z = [];                  // 16 random bytes per item
        public byte[] Encodings = [];          // encodings to decompress: R_i, and A_i when not in the key cache
        public int[] Target = [];              // where each encoding's point goes in Decoded
        public EdwardsPoint[] Fresh = [];      // their decompressions
        public bool[] FreshOk = [];
        public EdwardsPoint[] Decoded = [];    // A_i, R_i of items with canonical S, 2 per item
        public bool[] DecodedOk = [];
        public int[] Candidates = [];          // item index of each encoding pair
        public byte[] HashInput = [];          // eight R ‖ A ‖ M inputs for the SHA-512 lanes

        public void Ensure(int n)
        {
            if (Index.Length >= n) return;
            Points = new EdwardsPoint[2 * n];
            Scalars = new byte[64 * n];
            ZS = new Scalar[n];
            Index = new int[n];
            APoints = new EdwardsPoint[n];
            RPoints = new EdwardsPoint[n];
            K = new Scalar[n];
            Z = new byte[16 * n];
            Encodings = new byte[64 * n];
            Decoded = new EdwardsPoint[2 * n];
            DecodedOk = new bool[2 * n];
            Target = new int[2 * n];
            Fresh = new EdwardsPoint[2 * n];
            FreshOk = new bool[2 * n];
            Candidates = new int[n];
        }
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    private static int VerifyCore(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        ReadOnlySpan<int> offsets, int fixedLength, Span<bool> valid)
    {
        int n = valid.Length;
        if (n == 0) return 0;
        Scratch scratch = t_scratch ??= new Scratch();
        scratch.Ensure(n);

        // 1. Decode every item; items failing S < L or point decoding are invalid outright (ZIP-215) and excluded.
        //    The R encodings and the A encodings not in the key cache are decompressed together (eight per lane group).
        int c = 0, d = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> sig = signatures.Slice(i * 64, 64);
            if (!Scalar.IsCanonical(sig.Slice(32, 32)))
            {
                valid[i] = false;
                continue;
            }
            ReadOnlySpan<byte> key = publicKeys.Slice(i * 32, 32);
            if (PublicKeyCache.TryGet(key, out scratch.Decoded[2 * c]))
            {
                scratch.DecodedOk[2 * c] = true;
            }
            else
            {
                key.CopyTo(scratch.Encodings.AsSpan(32 * d, 32));
                scratch.Target[d++] = 2 * c;
            }
            sig.Slice(0, 32).CopyTo(scratch.Encodings.AsSpan(32 * d, 32));
            scratch.Target[d++] = (2 * c) + 1;
            scratch.Candidates[c++] = i;
        }
        DecompressMany(scratch.Encodings.AsSpan(0, 32 * d), scratch.Fresh.AsSpan(0, d), scratch.FreshOk.AsSpan(0, d));
        for (int k = 0; k < d; k++)
        {
            int target = scratch.Target[k];
            scratch.Decoded[target] = scratch.Fresh[k];
            scratch.DecodedOk[target] = scratch.FreshOk[k];
            if ((target & 1) == 0 && scratch.FreshOk[k]) PublicKeyCache.Add(scratch.Encodings.AsSpan(32 * k, 32), scratch.Fresh[k]);
        }
        int m = 0;
        for (int j = 0; j < c; j++)
        {
            int i = scratch.Candidates[j];
            if (!scratch.DecodedOk[2 * j] || !scratch.DecodedOk[(2 * j) + 1])
            {
                valid[i] = false;
                continue;
            }
            scratch.APoints[m] = scratch.Decoded[2 * j];
            scratch.RPoints[m] = scratch.Decoded[(2 * j) + 1];
            scratch.Index[m] = i;
            valid[i] = true; // provisional; cleared below if the equation fails
            m++;
        }
        HashAll(scratch, publicKeys, signatures, messages, offsets, fixedLength, m);
        if (m == 0) return n;

        // 2. Random 128-bit weights z_i from the CSPRNG; the R_i terms get the short scalar z_i directly.
        Span<byte> zAll = scratch.Z.AsSpan(0, 16 * m);
        RandomNumberGenerator.Fill(zAll);
        for (int j = 0; j < m; j++)
        {
            Span<byte> zBytes = scratch.Scalars.AsSpan(64 * j, 32);
            zBytes.Clear();
            zAll.Slice(16 * j, 16).CopyTo(zBytes);
            zBytes[0] |= 1; // z ≠ 0 (one bit of entropy traded for it; still ≥ 2^127 choices)
            Scalar z = Scalar.FromBytesUnreduced(zBytes);
            Scalar.Mul(z, scratch.K[j]).ToBytes(scratch.Scalars.AsSpan(64 * j + 32, 32));
            Scalar s = Scalar.FromBytesUnreduced(signatures.Slice(scratch.Index[j] * 64 + 32, 32));
            scratch.ZS[j] = Scalar.Mul(z, s);
            scratch.Points[2 * j] = scratch.RPoints[j];
            scratch.Points[2 * j + 1] = scratch.APoints[j];
        }

        // 3. One multi-scalar multiplication per range; on failure bisect to find exactly the bad items.
        CheckRange(scratch, signatures, 0, m, valid);

        int invalid = 0;
        for (int i = 0; i < n; i++) if (!valid[i]) invalid++;
        return invalid;
    }

    /// <summary>Longest message hashed on SHA-512 lanes (longer ones go one by one).</summary>
    private const int LaneHashMaxMessage = 1024;

    /// <summary>
    /// k_j = SHA-512(R ‖ A ‖ M) mod L for the m decoded items: runs of eight items with equal message lengths are
    /// hashed on <see cref="Sha512Lanes"/> (one pass for eight short messages instead of eight platform calls).
    /// </summary>
    private static void HashAll(Scratch scratch, ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, ReadOnlySpan<byte> messages,
        ReadOnlySpan<int> offsets, int fixedLength, int m)
    {
        const int lanes = Sha512Lanes.Lanes;
        Span<byte> digests = stackalloc byte[lanes * Sha512Lanes.DigestSize];
        int j = 0;
        while (j < m)
        {
            int length = MessageLength(offsets, fixedLength, scratch.Index[j]);
            bool group = FieldElement8.IsAccelerated && j + lanes <= m && length <= LaneHashMaxMessage;
            for (int k = 1; group && k < lanes; k++) group = MessageLength(offsets, fixedLength, scratch.Index[j + k]) == length;
            if (!group)
            {
                int i = scratch.Index[j];
                scratch.K[j] = Ed25519.HashToScalar(signatures.Slice(i * 64, 32), publicKeys.Slice(i * 32, 32), Message(messages, offsets, fixedLength, i));
                j++;
                continue;
            }
            int size = 64 + length;
            if (scratch.HashInput.Length < lanes * size) scratch.HashInput = new byte[lanes * size];
            Span<byte> input = scratch.HashInput.AsSpan(0, lanes * size);
            for (int k = 0; k < lanes; k++)
            {
                int i = scratch.Index[j + k];
                Span<byte> one = input.Slice(k * size, size);
                signatures.Slice(i * 64, 32).CopyTo(one);
                publicKeys.Slice(i * 32, 32).CopyTo(one.Slice(32));
                Message(messages, offsets, fixedLength, i).CopyTo(one.Slice(64));
            }
            Sha512Lanes.Hash(input, size, digests);
            for (int k = 0; k < lanes; k++) scratch.K[j + k] = Scalar.FromBytesWide(digests.Slice(k * Sha512Lanes.DigestSize, Sha512Lanes.DigestSize));
            j += lanes;
        }
    }

    private static int MessageLength(ReadOnlySpan<int> offsets, int fixedLength, int i) =>
        offsets.IsEmpty ? fixedLength : offsets[i + 1] - offsets[i];

    private static ReadOnlySpan<byte> Message(ReadOnlySpan<byte> messages, ReadOnlySpan<int> offsets, int fixedLength, int i) =>
        offsets.IsEmpty ? messages.Slice(i * fixedLength, fixedLength) : messages.Slice(offsets[i], offsets[i + 1] - offsets[i]);

    /// <summary>
    /// ZIP-215 decompression of 32-byte encodings: groups of eight on <see cref="FieldElement8"/> lanes where the
    /// vector hardware is there, the rest one by one (same verdicts and points either way).
    /// </summary>
    internal static void DecompressMany(ReadOnlySpan<byte> encodings, Span<EdwardsPoint> points, Span<bool> ok)
    {
        int count = points.Length;
        int start = 0;
        if (FieldElement8.IsAccelerated)
        {
            const int lanes = FieldElement8.Lanes;
            for (; start + lanes <= count; start += lanes)
            {
                EdwardsPoint.TryDecompressZip215x8(encodings.Slice(32 * start, 32 * lanes), points.Slice(start, lanes), ok.Slice(start, lanes));
            }
            int left = count - start;
            if (left >= 3)
            {
                // A partial group costs less as one padded lane group (unused lanes repeat the first encoding) than
                // one by one: eight lanes take about the time of two single decompressions.
                Span<byte> padded = stackalloc byte[32 * lanes];
                Span<EdwardsPoint> lanePoints = stackalloc EdwardsPoint[lanes];
                Span<bool> laneOk = stackalloc bool[lanes];
                encodings.Slice(32 * start, 32 * left).CopyTo(padded);
                for (int i = left; i < lanes; i++) encodings.Slice(32 * start, 32).CopyTo(padded.Slice(32 * i));
                EdwardsPoint.TryDecompressZip215x8(padded, lanePoints, laneOk);
                lanePoints.Slice(0, left).CopyTo(points.Slice(start));
                laneOk.Slice(0, left).CopyTo(ok.Slice(start));
                start = count;
            }
        }
        for (int i = start; i < count; i++) ok[i] = EdwardsPoint.TryDecompressZip215(encodings.Slice(32 * i, 32), out points[i]);
    }

    private static void CheckRange(Scratch scratch, ReadOnlySpan<byte> signatures, int lo, int hi, Span<bool> valid)
    {
        int count = hi - lo;
        if (count == 1)
        {
            // Leaf: the exact single-verification equation, so batch verdicts equal Ed25519.Verify.
            int i = scratch.Index[lo];
            valid[i] = Ed25519.CheckCofactoredEquation(scratch.APoints[lo], scratch.RPoints[lo], scratch.K[lo], signatures.Slice(i * 64 + 32, 32));
            return;
        }
        if (CombinationHolds(scratch, lo, hi)) return; // all provisional "true" stand
        int mid = lo + (count / 2);
        CheckRange(scratch, signatures, lo, mid, valid);
        CheckRange(scratch, signatures, mid, hi, valid);
    }

    /// <summary>[8]( -(Σ z_i S_i) B + Σ z_i R_i + Σ (z_i k_i) A_i ) = identity (ZIP-215 batch equation).</summary>
    /// <summary>Signatures from which the combination uses <see cref="MultiScalarMulParallel"/>.</summary>
    private const int ParallelMsmThreshold = 4;

    private static bool CombinationHolds(Scratch scratch, int lo, int hi)
    {
        Scalar sum = default;
        for (int j = lo; j < hi; j++) sum = Scalar.Add(sum, scratch.ZS[j]);
        Span<byte> bScalar = stackalloc byte[32];
        Scalar.Neg(sum).ToBytes(bScalar);
        ReadOnlySpan<EdwardsPoint> points = scratch.Points.AsSpan(2 * lo, 2 * (hi - lo));
        ReadOnlySpan<byte> scalars = scratch.Scalars.AsSpan(64 * lo, 64 * (hi - lo));
        // The four-lane Straus computes the same coordinates; below a few signatures its table conversion does not pay.
        EdwardsPoint q = hi - lo >= ParallelMsmThreshold && MultiScalarMulParallel.IsAccelerated
            ? MultiScalarMulParallel.Straus(points, scalars, bScalar)
            : MultiScalarMul.Straus(points, scalars, bScalar);
        return q.MulByCofactor().IsIdentity();
    }

    private static void CheckShapes(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signatures, int n)
    {
        if (publicKeys.Length != n * Ed25519.PublicKeySize)
            throw new ArgumentException($"expected {n}×32 bytes of public keys", nameof(publicKeys));
        if (signatures.Length != n * Ed25519.SignatureSize)
            throw new ArgumentException($"expected {n}×64 bytes of signatures", nameof(signatures));
    }

    private static void CheckOffsets(ReadOnlySpan<byte> messages, ReadOnlySpan<int> offsets, int n)
    {
        if (offsets.Length != n + 1)
            throw new ArgumentException("expected n + 1 message offsets", nameof(offsets));
        if (offsets[0] < 0 || offsets[n] > messages.Length)
            throw new ArgumentException("message offsets out of range", nameof(offsets));
        for (int i = 0; i < n; i++)
            if (offsets[i + 1] < offsets[i]) throw new ArgumentException("message offsets must not decrease", nameof(offsets));
    }

    private static void CheckFixed(ReadOnlySpan<byte> messages, int messageLength, int n)
    {
        if (messageLength < 0 || messages.Length != n * messageLength)
            throw new ArgumentException($"expected {n}×{messageLength} bytes of messages", nameof(messages));
    }
}
