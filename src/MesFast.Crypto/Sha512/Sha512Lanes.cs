using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// SHA-512 (FIPS 180-4) of eight messages of equal length at once, one per 64-bit lane of <see cref="Vector512{T}"/>
/// (vprorq rotations where AVX-512 exists, shifts otherwise: same digests). Used for the eight k = SHA-512(R ‖ A ‖ M)
/// of a batch verification group, where the per-call cost of the platform SHA-512 (OpenSSL) dominates short messages.
/// Checked against <see cref="System.Security.Cryptography.SHA512"/> in tests.
/// </summary>
internal static class Sha512Lanes
{
    public const int Lanes = 8;
    public const int DigestSize = 64;
    private const int BlockSize = 128;

    /// <summary>Round constants: the first 64 bits of the fractional parts of the cube roots of the first 80 primes.</summary>
    private static readonly ulong[] K = RootConstants(80, 3);

    /// <summary>Initial state: the first 64 bits of the fractional parts of the square roots of the first 8 primes.</summary>
    private static readonly ulong[] H0 = RootConstants(8, 2);

    /// <summary>
    /// Writes SHA-512(message_i) to digests[64i..] for the eight messages message_i = messages[i·length ..][..length].
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> messages, int length, Span<byte> digests)
    {
        if (messages.Length != Lanes * length || digests.Length != Lanes * DigestSize)
            throw new ArgumentException("expected eight messages of the given length and room for eight digests");
        int blocks = (length + 17 + BlockSize - 1) / BlockSize;
        Span<Vector512<ulong>> state = stackalloc Vector512<ulong>[8];
        for (int i = 0; i < 8; i++) state[i] = Vector512.Create(H0[i]);
        Span<ulong> words = stackalloc ulong[16 * Lanes]; // words[t·8 + lane]
        Span<byte> last = stackalloc byte[2 * BlockSize];
        for (int block = 0; block < blocks; block++)
        {
            int start = block * BlockSize;
            for (int lane = 0; lane < Lanes; lane++)
            {
                ReadOnlySpan<byte> message = messages.Slice(lane * length, length);
                scoped ReadOnlySpan<byte> bytes;
                if (start + BlockSize <= length)
                {
                    bytes = message.Slice(start, BlockSize);
                }
                else
                {
                    // The padded tail: 0x80, zeros, then the bit length (128-bit big-endian; ours fits 64 bits).
                    last.Clear();
                    int tailStart = (length / BlockSize) * BlockSize;
                    message.Slice(tailStart).CopyTo(last);
                    last[length - tailStart] = 0x80;
                    int tailBlocks = blocks - (length / BlockSize);
                    BinaryPrimitives.WriteUInt64BigEndian(last.Slice((tailBlocks * BlockSize) - 8), (ulong)length * 8);
                    bytes = last.Slice((block - (length / BlockSize)) * BlockSize, BlockSize);
                }
                for (int t = 0; t < 16; t++) words[(t * Lanes) + lane] = BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8 * t));
            }
            Compress(state, words);
        }
        Span<ulong> lanes = stackalloc ulong[Lanes];
        for (int i = 0; i < 8; i++)
        {
            state[i].CopyTo(lanes);
            for (int lane = 0; lane < Lanes; lane++) BinaryPrimitives.WriteUInt64BigEndian(digests.Slice((lane * DigestSize) + (8 * i)), lanes[lane]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Rotr(Vector512<ulong> x, [ConstantExpected] byte n)
        => Avx512F.IsSupported ? Avx512F.RotateRight(x, n) : (x >>> n) | (x << (64 - n));

    private static void Compress(Span<Vector512<ulong>> state, ReadOnlySpan<ulong> words)
    {
        Span<Vector512<ulong>> w = stackalloc Vector512<ulong>[16];
        for (int t = 0; t < 16; t++) w[t] = Vector512.Create(words.Slice(t * Lanes, Lanes));
        Vector512<ulong> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 80; t++)
        {
            Vector512<ulong> wt;
            if (t < 16)
            {
                wt = w[t];
            }
            else
            {
                // Message schedule in a 16-word ring: W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16].
                Vector512<ulong> w2 = w[(t - 2) & 15], w15 = w[(t - 15) & 15];
                Vector512<ulong> s0 = Rotr(w15, 1) ^ Rotr(w15, 8) ^ (w15 >>> 7);
                Vector512<ulong> s1 = Rotr(w2, 19) ^ Rotr(w2, 61) ^ (w2 >>> 6);
                wt = s1 + w[(t - 7) & 15] + s0 + w[t & 15];
                w[t & 15] = wt;
            }
            Vector512<ulong> bigS1 = Rotr(e, 14) ^ Rotr(e, 18) ^ Rotr(e, 41);
            Vector512<ulong> ch = (e & f) ^ Vector512.AndNot(g, e);
            Vector512<ulong> t1 = h + bigS1 + ch + Vector512.Create(K[t]) + wt;
            Vector512<ulong> bigS0 = Rotr(a, 28) ^ Rotr(a, 34) ^ Rotr(a, 39);
            Vector512<ulong> maj = (a & b) ^ (a & c) ^ (b & c);
            Vector512<ulong> t2 = bigS0 + maj;
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }

    /// <summary>⌊frac(p^(1/root)) · 2^64⌋ for the first <paramref name="count"/> primes, with exact integer roots.</summary>
    private static ulong[] RootConstants(int count, int root)
    {
        var result = new ulong[count];
        int found = 0;
        for (int p = 2; found < count; p++)
        {
            bool prime = true;
            for (int q = 2; q * q <= p; q++) if (p % q == 0) { prime = false; break; }
            if (!prime) continue;
            // ⌊p^(1/root) · 2^64⌋ = ⌊(p · 2^(64·root))^(1/root)⌋; the low 64 bits are the fractional part's.
            BigInteger n = new BigInteger(p) << (64 * root);
            result[found++] = (ulong)(IntegerRoot(n, root) & ulong.MaxValue);
        }
        return result;
    }

    private static BigInteger IntegerRoot(BigInteger n, int k)
    {
        // Newton's method from above: x ← ((k−1)x + n / x^(k−1)) / k until it stops decreasing.
        BigInteger x = BigInteger.One << (int)((n.GetBitLength() / k) + 1);
        while (true)
        {
            BigInteger y = (((k - 1) * x) + (n / BigInteger.Pow(x, k - 1))) / k;
            if (y >= x) return x;
            x = y;
        }
    }
}
