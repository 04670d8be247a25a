using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// BLAKE3 compression of 16 independent blocks at once, one per 32-bit lane of <c>Vector512&lt;uint&gt;</c>, with
/// AVX-512F (vprord rotations, 16x16 transposes with vshufi32x4). The state words v0–v15 and the message words m0–m15 are each one vector across the lanes
/// (the "hash_many" layout of the BLAKE3 paper §5.3), so no shuffles are needed between the G steps.
/// Used for leaf chunks (§2.5), parent nodes (§2.5), root output blocks (§2.6) and batches of short messages.
/// </summary>
internal static unsafe class Blake3Avx512
{
    public const int Lanes = 16;

    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// Hashes <paramref name="blocks"/> consecutive 64-byte blocks from each of the 16 row pointers and writes the
    /// chaining values of the first <paramref name="count"/> lanes (32 bytes each). Lane i uses counter
    /// <c>counter + i</c> when <paramref name="incrementCounter"/> (chunks) else <c>counter</c> (parents).
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(byte** rows, int count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector512<uint>* cv = stackalloc Vector512<uint>[16];
        Vector512<uint>* m = stackalloc Vector512<uint>[16];
        Vector512<uint>* scratch = stackalloc Vector512<uint>[16];
        // The chaining value stays in locals across the blocks of the inputs; the rounds are inlined (spec §2.2).
        Vector512<uint> h0 = Vector512.Create(key[0]), h1 = Vector512.Create(key[1]), h2 = Vector512.Create(key[2]), h3 = Vector512.Create(key[3]);
        Vector512<uint> h4 = Vector512.Create(key[4]), h5 = Vector512.Create(key[5]), h6 = Vector512.Create(key[6]), h7 = Vector512.Create(key[7]);
        LaneCounters(counter, incrementCounter, out Vector512<uint> counterLow, out Vector512<uint> counterHigh);
        for (int b = 0; b < blocks; b++)
        {
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            LoadMessage(rows, b * Blake3Constants.BlockLength, m, scratch);
            Vector512<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector512<uint> v8 = Vector512.Create(Blake3Constants.IV0), v9 = Vector512.Create(Blake3Constants.IV1);
            Vector512<uint> v10 = Vector512.Create(Blake3Constants.IV2), v11 = Vector512.Create(Blake3Constants.IV3);
            Vector512<uint> v12 = counterLow, v13 = counterHigh, v14 = Vector512.Create((uint)Blake3Constants.BlockLength), v15 = Vector512.Create(blockFlags);
            // Round 0: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[0];
            v1 = v1 + v5 + m[2];
            v2 = v2 + v6 + m[4];
            v3 = v3 + v7 + m[6];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[1];
            v1 = v1 + v5 + m[3];
            v2 = v2 + v6 + m[5];
            v3 = v3 + v7 + m[7];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[8];
            v1 = v1 + v6 + m[10];
            v2 = v2 + v7 + m[12];
            v3 = v3 + v4 + m[14];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[9];
            v1 = v1 + v6 + m[11];
            v2 = v2 + v7 + m[13];
            v3 = v3 + v4 + m[15];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 1: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[2];
            v1 = v1 + v5 + m[3];
            v2 = v2 + v6 + m[7];
            v3 = v3 + v7 + m[4];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[6];
            v1 = v1 + v5 + m[10];
            v2 = v2 + v6 + m[0];
            v3 = v3 + v7 + m[13];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[1];
            v1 = v1 + v6 + m[12];
            v2 = v2 + v7 + m[9];
            v3 = v3 + v4 + m[15];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[11];
            v1 = v1 + v6 + m[5];
            v2 = v2 + v7 + m[14];
            v3 = v3 + v4 + m[8];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 2: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[3];
            v1 = v1 + v5 + m[10];
            v2 = v2 + v6 + m[13];
            v3 = v3 + v7 + m[7];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[4];
            v1 = v1 + v5 + m[12];
            v2 = v2 + v6 + m[2];
            v3 = v3 + v7 + m[14];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[6];
            v1 = v1 + v6 + m[9];
            v2 = v2 + v7 + m[11];
            v3 = v3 + v4 + m[8];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[5];
            v1 = v1 + v6 + m[0];
            v2 = v2 + v7 + m[15];
            v3 = v3 + v4 + m[1];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 3: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[10];
            v1 = v1 + v5 + m[12];
            v2 = v2 + v6 + m[14];
            v3 = v3 + v7 + m[13];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[7];
            v1 = v1 + v5 + m[9];
            v2 = v2 + v6 + m[3];
            v3 = v3 + v7 + m[15];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[4];
            v1 = v1 + v6 + m[11];
            v2 = v2 + v7 + m[5];
            v3 = v3 + v4 + m[1];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[0];
            v1 = v1 + v6 + m[2];
            v2 = v2 + v7 + m[8];
            v3 = v3 + v4 + m[6];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 4: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[12];
            v1 = v1 + v5 + m[9];
            v2 = v2 + v6 + m[15];
            v3 = v3 + v7 + m[14];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[13];
            v1 = v1 + v5 + m[11];
            v2 = v2 + v6 + m[10];
            v3 = v3 + v7 + m[8];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[7];
            v1 = v1 + v6 + m[5];
            v2 = v2 + v7 + m[0];
            v3 = v3 + v4 + m[6];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[2];
            v1 = v1 + v6 + m[3];
            v2 = v2 + v7 + m[1];
            v3 = v3 + v4 + m[4];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 5: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[9];
            v1 = v1 + v5 + m[11];
            v2 = v2 + v6 + m[8];
            v3 = v3 + v7 + m[15];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[14];
            v1 = v1 + v5 + m[5];
            v2 = v2 + v6 + m[12];
            v3 = v3 + v7 + m[1];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[13];
            v1 = v1 + v6 + m[0];
            v2 = v2 + v7 + m[2];
            v3 = v3 + v4 + m[4];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[3];
            v1 = v1 + v6 + m[10];
            v2 = v2 + v7 + m[6];
            v3 = v3 + v4 + m[7];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            // Round 6: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[11];
            v1 = v1 + v5 + m[5];
            v2 = v2 + v6 + m[1];
            v3 = v3 + v7 + m[8];
            v12 = Avx512F.RotateRight(v12 ^ v0, 16);
            v13 = Avx512F.RotateRight(v13 ^ v1, 16);
            v14 = Avx512F.RotateRight(v14 ^ v2, 16);
            v15 = Avx512F.RotateRight(v15 ^ v3, 16);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 12);
            v5 = Avx512F.RotateRight(v5 ^ v9, 12);
            v6 = Avx512F.RotateRight(v6 ^ v10, 12);
            v7 = Avx512F.RotateRight(v7 ^ v11, 12);
            v0 = v0 + v4 + m[15];
            v1 = v1 + v5 + m[0];
            v2 = v2 + v6 + m[9];
            v3 = v3 + v7 + m[6];
            v12 = Avx512F.RotateRight(v12 ^ v0, 8);
            v13 = Avx512F.RotateRight(v13 ^ v1, 8);
            v14 = Avx512F.RotateRight(v14 ^ v2, 8);
            v15 = Avx512F.RotateRight(v15 ^ v3, 8);
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Avx512F.RotateRight(v4 ^ v8, 7);
            v5 = Avx512F.RotateRight(v5 ^ v9, 7);
            v6 = Avx512F.RotateRight(v6 ^ v10, 7);
            v7 = Avx512F.RotateRight(v7 ^ v11, 7);
            v0 = v0 + v5 + m[14];
            v1 = v1 + v6 + m[2];
            v2 = v2 + v7 + m[3];
            v3 = v3 + v4 + m[7];
            v15 = Avx512F.RotateRight(v15 ^ v0, 16);
            v12 = Avx512F.RotateRight(v12 ^ v1, 16);
            v13 = Avx512F.RotateRight(v13 ^ v2, 16);
            v14 = Avx512F.RotateRight(v14 ^ v3, 16);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 12);
            v6 = Avx512F.RotateRight(v6 ^ v11, 12);
            v7 = Avx512F.RotateRight(v7 ^ v8, 12);
            v4 = Avx512F.RotateRight(v4 ^ v9, 12);
            v0 = v0 + v5 + m[10];
            v1 = v1 + v6 + m[12];
            v2 = v2 + v7 + m[4];
            v3 = v3 + v4 + m[13];
            v15 = Avx512F.RotateRight(v15 ^ v0, 8);
            v12 = Avx512F.RotateRight(v12 ^ v1, 8);
            v13 = Avx512F.RotateRight(v13 ^ v2, 8);
            v14 = Avx512F.RotateRight(v14 ^ v3, 8);
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Avx512F.RotateRight(v5 ^ v10, 7);
            v6 = Avx512F.RotateRight(v6 ^ v11, 7);
            v7 = Avx512F.RotateRight(v7 ^ v8, 7);
            v4 = Avx512F.RotateRight(v4 ^ v9, 7);
            h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
            h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
        }
        cv[0] = h0; cv[1] = h1; cv[2] = h2; cv[3] = h3; cv[4] = h4; cv[5] = h5; cv[6] = h6; cv[7] = h7;
        StoreLanes(cv, 8, count, output, scratch);
    }

    /// <summary>
    /// Short messages, one per lane, each a single chunk of its own (counter 0): <paramref name="rows"/>,
    /// <paramref name="blockLengths"/> and <paramref name="blockFlags"/> are <c>maxBlocks × 16</c>, block-major.
    /// Lanes whose message has fewer blocks keep their chaining value (a masked blend) once past their last block,
    /// whose flags carry CHUNK_END | ROOT, so the chaining value is the 32-byte hash (§2.6).
    /// </summary>
    [SkipLocalsInit]
    public static void HashShortMessages(byte** rows, uint* blockLengths, uint* blockFlags, uint* lastBlock, int maxBlocks,
        uint* key, int count, byte* output)
    {
        Vector512<uint>* cv = stackalloc Vector512<uint>[16];
        Vector512<uint>* previous = stackalloc Vector512<uint>[8];
        Vector512<uint>* m = stackalloc Vector512<uint>[16];
        Vector512<uint>* scratch = stackalloc Vector512<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector512.Create(key[i]);
        Vector512<uint> last = Vector512.Load(lastBlock);
        for (int b = 0; b < maxBlocks; b++)
        {
            for (int i = 0; i < 8; i++) previous[i] = cv[i];
            LoadMessage(rows + b * Lanes, 0, m, scratch);
            Compress(cv, m, default, default, Vector512.Load(blockLengths + b * Lanes), Vector512.Load(blockFlags + b * Lanes), null);
            Vector512<uint> active = Vector512.GreaterThanOrEqual(last, Vector512.Create((uint)b));
            for (int i = 0; i < 8; i++) cv[i] = Vector512.ConditionalSelect(active, cv[i], previous[i]);
        }
        StoreLanes(cv, 8, count, output, scratch);
    }

    /// <summary>
    /// Root output blocks <c>counter … counter + count − 1</c> (XOF, §2.6): the same input CV and block in every lane,
    /// one output-block counter per lane; writes <c>64 × count</c> bytes.
    /// </summary>
    [SkipLocalsInit]
    public static void RootBlocks(uint* inputCv, byte* block, ulong counter, uint blockLength, uint flags, int count, byte* output)
    {
        Vector512<uint>* cv = stackalloc Vector512<uint>[16];
        Vector512<uint>* m = stackalloc Vector512<uint>[16];
        Vector512<uint>* words = stackalloc Vector512<uint>[16];
        Vector512<uint>* scratch = stackalloc Vector512<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector512.Create(inputCv[i]);
        for (int i = 0; i < 16; i++) m[i] = Vector512.Create(BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(block + 4 * i, 4)));
        LaneCounters(counter, true, out Vector512<uint> counterLow, out Vector512<uint> counterHigh);
        Compress(cv, m, counterLow, counterHigh, Vector512.Create(blockLength), Vector512.Create(flags), words);
        StoreLanes(words, 16, count, output, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LaneCounters(ulong counter, bool increment, out Vector512<uint> low, out Vector512<uint> high)
    {
        uint* lo = stackalloc uint[Lanes];
        uint* hi = stackalloc uint[Lanes];
        for (int i = 0; i < Lanes; i++)
        {
            ulong c = counter + (increment ? (ulong)i : 0);
            lo[i] = (uint)c;
            hi[i] = (uint)(c >> 32);
        }
        low = Vector512.Load(lo);
        high = Vector512.Load(hi);
    }

    /// <summary>
    /// The compression function (§2.2) in all lanes, seven rounds fully unrolled. Updates <paramref name="cv"/> (8 vectors)
    /// to the new chaining value, or when <paramref name="fullOutput"/> is given writes all 16 output words there instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compress(Vector512<uint>* cv, Vector512<uint>* m, Vector512<uint> counterLow, Vector512<uint> counterHigh,
        Vector512<uint> blockLength, Vector512<uint> flags, Vector512<uint>* fullOutput)
    {
        Vector512<uint> v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        Vector512<uint> v8 = Vector512.Create(Blake3Constants.IV0), v9 = Vector512.Create(Blake3Constants.IV1);
        Vector512<uint> v10 = Vector512.Create(Blake3Constants.IV2), v11 = Vector512.Create(Blake3Constants.IV3);
        Vector512<uint> v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

        // Round 0: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[0];
        v1 = v1 + v5 + m[2];
        v2 = v2 + v6 + m[4];
        v3 = v3 + v7 + m[6];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[1];
        v1 = v1 + v5 + m[3];
        v2 = v2 + v6 + m[5];
        v3 = v3 + v7 + m[7];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[8];
        v1 = v1 + v6 + m[10];
        v2 = v2 + v7 + m[12];
        v3 = v3 + v4 + m[14];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[9];
        v1 = v1 + v6 + m[11];
        v2 = v2 + v7 + m[13];
        v3 = v3 + v4 + m[15];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 1: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[2];
        v1 = v1 + v5 + m[3];
        v2 = v2 + v6 + m[7];
        v3 = v3 + v7 + m[4];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[6];
        v1 = v1 + v5 + m[10];
        v2 = v2 + v6 + m[0];
        v3 = v3 + v7 + m[13];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[1];
        v1 = v1 + v6 + m[12];
        v2 = v2 + v7 + m[9];
        v3 = v3 + v4 + m[15];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[11];
        v1 = v1 + v6 + m[5];
        v2 = v2 + v7 + m[14];
        v3 = v3 + v4 + m[8];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 2: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[3];
        v1 = v1 + v5 + m[10];
        v2 = v2 + v6 + m[13];
        v3 = v3 + v7 + m[7];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[4];
        v1 = v1 + v5 + m[12];
        v2 = v2 + v6 + m[2];
        v3 = v3 + v7 + m[14];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[6];
        v1 = v1 + v6 + m[9];
        v2 = v2 + v7 + m[11];
        v3 = v3 + v4 + m[8];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[5];
        v1 = v1 + v6 + m[0];
        v2 = v2 + v7 + m[15];
        v3 = v3 + v4 + m[1];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 3: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[10];
        v1 = v1 + v5 + m[12];
        v2 = v2 + v6 + m[14];
        v3 = v3 + v7 + m[13];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[7];
        v1 = v1 + v5 + m[9];
        v2 = v2 + v6 + m[3];
        v3 = v3 + v7 + m[15];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[4];
        v1 = v1 + v6 + m[11];
        v2 = v2 + v7 + m[5];
        v3 = v3 + v4 + m[1];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[0];
        v1 = v1 + v6 + m[2];
        v2 = v2 + v7 + m[8];
        v3 = v3 + v4 + m[6];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 4: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[12];
        v1 = v1 + v5 + m[9];
        v2 = v2 + v6 + m[15];
        v3 = v3 + v7 + m[14];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[13];
        v1 = v1 + v5 + m[11];
        v2 = v2 + v6 + m[10];
        v3 = v3 + v7 + m[8];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[7];
        v1 = v1 + v6 + m[5];
        v2 = v2 + v7 + m[0];
        v3 = v3 + v4 + m[6];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[2];
        v1 = v1 + v6 + m[3];
        v2 = v2 + v7 + m[1];
        v3 = v3 + v4 + m[4];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 5: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[9];
        v1 = v1 + v5 + m[11];
        v2 = v2 + v6 + m[8];
        v3 = v3 + v7 + m[15];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[14];
        v1 = v1 + v5 + m[5];
        v2 = v2 + v6 + m[12];
        v3 = v3 + v7 + m[1];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[13];
        v1 = v1 + v6 + m[0];
        v2 = v2 + v7 + m[2];
        v3 = v3 + v4 + m[4];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[3];
        v1 = v1 + v6 + m[10];
        v2 = v2 + v7 + m[6];
        v3 = v3 + v4 + m[7];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);
        // Round 6: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[11];
        v1 = v1 + v5 + m[5];
        v2 = v2 + v6 + m[1];
        v3 = v3 + v7 + m[8];
        v12 = Avx512F.RotateRight(v12 ^ v0, 16);
        v13 = Avx512F.RotateRight(v13 ^ v1, 16);
        v14 = Avx512F.RotateRight(v14 ^ v2, 16);
        v15 = Avx512F.RotateRight(v15 ^ v3, 16);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 12);
        v5 = Avx512F.RotateRight(v5 ^ v9, 12);
        v6 = Avx512F.RotateRight(v6 ^ v10, 12);
        v7 = Avx512F.RotateRight(v7 ^ v11, 12);
        v0 = v0 + v4 + m[15];
        v1 = v1 + v5 + m[0];
        v2 = v2 + v6 + m[9];
        v3 = v3 + v7 + m[6];
        v12 = Avx512F.RotateRight(v12 ^ v0, 8);
        v13 = Avx512F.RotateRight(v13 ^ v1, 8);
        v14 = Avx512F.RotateRight(v14 ^ v2, 8);
        v15 = Avx512F.RotateRight(v15 ^ v3, 8);
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Avx512F.RotateRight(v4 ^ v8, 7);
        v5 = Avx512F.RotateRight(v5 ^ v9, 7);
        v6 = Avx512F.RotateRight(v6 ^ v10, 7);
        v7 = Avx512F.RotateRight(v7 ^ v11, 7);
        v0 = v0 + v5 + m[14];
        v1 = v1 + v6 + m[2];
        v2 = v2 + v7 + m[3];
        v3 = v3 + v4 + m[7];
        v15 = Avx512F.RotateRight(v15 ^ v0, 16);
        v12 = Avx512F.RotateRight(v12 ^ v1, 16);
        v13 = Avx512F.RotateRight(v13 ^ v2, 16);
        v14 = Avx512F.RotateRight(v14 ^ v3, 16);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 12);
        v6 = Avx512F.RotateRight(v6 ^ v11, 12);
        v7 = Avx512F.RotateRight(v7 ^ v8, 12);
        v4 = Avx512F.RotateRight(v4 ^ v9, 12);
        v0 = v0 + v5 + m[10];
        v1 = v1 + v6 + m[12];
        v2 = v2 + v7 + m[4];
        v3 = v3 + v4 + m[13];
        v15 = Avx512F.RotateRight(v15 ^ v0, 8);
        v12 = Avx512F.RotateRight(v12 ^ v1, 8);
        v13 = Avx512F.RotateRight(v13 ^ v2, 8);
        v14 = Avx512F.RotateRight(v14 ^ v3, 8);
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Avx512F.RotateRight(v5 ^ v10, 7);
        v6 = Avx512F.RotateRight(v6 ^ v11, 7);
        v7 = Avx512F.RotateRight(v7 ^ v8, 7);
        v4 = Avx512F.RotateRight(v4 ^ v9, 7);

        if (fullOutput == null)
        {
            cv[0] = v0 ^ v8; cv[1] = v1 ^ v9; cv[2] = v2 ^ v10; cv[3] = v3 ^ v11;
            cv[4] = v4 ^ v12; cv[5] = v5 ^ v13; cv[6] = v6 ^ v14; cv[7] = v7 ^ v15;
        }
        else
        {
            fullOutput[8] = v8 ^ cv[0]; fullOutput[9] = v9 ^ cv[1]; fullOutput[10] = v10 ^ cv[2]; fullOutput[11] = v11 ^ cv[3];
            fullOutput[12] = v12 ^ cv[4]; fullOutput[13] = v13 ^ cv[5]; fullOutput[14] = v14 ^ cv[6]; fullOutput[15] = v15 ^ cv[7];
            fullOutput[0] = v0 ^ v8; fullOutput[1] = v1 ^ v9; fullOutput[2] = v2 ^ v10; fullOutput[3] = v3 ^ v11;
            fullOutput[4] = v4 ^ v12; fullOutput[5] = v5 ^ v13; fullOutput[6] = v6 ^ v14; fullOutput[7] = v7 ^ v15;
        }
    }

    /// <summary>16x16 transpose of 32-bit words: <c>dst[j]</c> lane i = <c>src[i]</c> lane j (unpack 32, unpack 64, then two 128-bit lane shuffles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector512<uint>* src, Vector512<uint>* dst)
    {
        for (int q = 0; q < 4; q++)
        {
            // Four rows a,b,c,d → abcd_k holds, in each 128-bit lane L, word 4L+k of the four rows.
            Vector512<uint> a = src[4 * q], b = src[4 * q + 1], c = src[4 * q + 2], d = src[4 * q + 3];
            Vector512<uint> abLo = Avx512F.UnpackLow(a, b), abHi = Avx512F.UnpackHigh(a, b);
            Vector512<uint> cdLo = Avx512F.UnpackLow(c, d), cdHi = Avx512F.UnpackHigh(c, d);
            dst[4 * q] = Avx512F.UnpackLow(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
            dst[4 * q + 1] = Avx512F.UnpackHigh(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
            dst[4 * q + 2] = Avx512F.UnpackLow(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
            dst[4 * q + 3] = Avx512F.UnpackHigh(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
        }
        for (int k = 0; k < 4; k++)
        {
            Vector512<uint> abcd = dst[k], efgh = dst[4 + k], ijkl = dst[8 + k], mnop = dst[12 + k];
            Vector512<uint> p = Avx512F.Shuffle4x128(abcd, efgh, 0x88), q = Avx512F.Shuffle4x128(abcd, efgh, 0xDD);
            Vector512<uint> r = Avx512F.Shuffle4x128(ijkl, mnop, 0x88), s = Avx512F.Shuffle4x128(ijkl, mnop, 0xDD);
            src[k] = Avx512F.Shuffle4x128(p, r, 0x88);
            src[8 + k] = Avx512F.Shuffle4x128(p, r, 0xDD);
            src[4 + k] = Avx512F.Shuffle4x128(q, s, 0x88);
            src[12 + k] = Avx512F.Shuffle4x128(q, s, 0xDD);
        }
        for (int i = 0; i < 16; i++) dst[i] = src[i];
    }

    /// <summary>Loads block <paramref name="offset"/> of 16 rows and transposes it in registers to message-word vectors (one store each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadMessage(byte** rows, nint offset, Vector512<uint>* m, Vector512<uint>* scratch)
    {
        Vector512<uint> r0 = Vector512.Load((uint*)(rows[0] + offset));
        Vector512<uint> r1 = Vector512.Load((uint*)(rows[1] + offset));
        Vector512<uint> r2 = Vector512.Load((uint*)(rows[2] + offset));
        Vector512<uint> r3 = Vector512.Load((uint*)(rows[3] + offset));
        Vector512<uint> r4 = Vector512.Load((uint*)(rows[4] + offset));
        Vector512<uint> r5 = Vector512.Load((uint*)(rows[5] + offset));
        Vector512<uint> r6 = Vector512.Load((uint*)(rows[6] + offset));
        Vector512<uint> r7 = Vector512.Load((uint*)(rows[7] + offset));
        Vector512<uint> r8 = Vector512.Load((uint*)(rows[8] + offset));
        Vector512<uint> r9 = Vector512.Load((uint*)(rows[9] + offset));
        Vector512<uint> r10 = Vector512.Load((uint*)(rows[10] + offset));
        Vector512<uint> r11 = Vector512.Load((uint*)(rows[11] + offset));
        Vector512<uint> r12 = Vector512.Load((uint*)(rows[12] + offset));
        Vector512<uint> r13 = Vector512.Load((uint*)(rows[13] + offset));
        Vector512<uint> r14 = Vector512.Load((uint*)(rows[14] + offset));
        Vector512<uint> r15 = Vector512.Load((uint*)(rows[15] + offset));
        Vector512<ulong> lo0a = Avx512F.UnpackLow(r0, r1).AsUInt64(), hi0a = Avx512F.UnpackHigh(r0, r1).AsUInt64();
        Vector512<ulong> lo0b = Avx512F.UnpackLow(r2, r3).AsUInt64(), hi0b = Avx512F.UnpackHigh(r2, r3).AsUInt64();
        Vector512<uint> g0k0 = Avx512F.UnpackLow(lo0a, lo0b).AsUInt32(), g0k1 = Avx512F.UnpackHigh(lo0a, lo0b).AsUInt32();
        Vector512<uint> g0k2 = Avx512F.UnpackLow(hi0a, hi0b).AsUInt32(), g0k3 = Avx512F.UnpackHigh(hi0a, hi0b).AsUInt32();
        Vector512<ulong> lo1a = Avx512F.UnpackLow(r4, r5).AsUInt64(), hi1a = Avx512F.UnpackHigh(r4, r5).AsUInt64();
        Vector512<ulong> lo1b = Avx512F.UnpackLow(r6, r7).AsUInt64(), hi1b = Avx512F.UnpackHigh(r6, r7).AsUInt64();
        Vector512<uint> g1k0 = Avx512F.UnpackLow(lo1a, lo1b).AsUInt32(), g1k1 = Avx512F.UnpackHigh(lo1a, lo1b).AsUInt32();
        Vector512<uint> g1k2 = Avx512F.UnpackLow(hi1a, hi1b).AsUInt32(), g1k3 = Avx512F.UnpackHigh(hi1a, hi1b).AsUInt32();
        Vector512<ulong> lo2a = Avx512F.UnpackLow(r8, r9).AsUInt64(), hi2a = Avx512F.UnpackHigh(r8, r9).AsUInt64();
        Vector512<ulong> lo2b = Avx512F.UnpackLow(r10, r11).AsUInt64(), hi2b = Avx512F.UnpackHigh(r10, r11).AsUInt64();
        Vector512<uint> g2k0 = Avx512F.UnpackLow(lo2a, lo2b).AsUInt32(), g2k1 = Avx512F.UnpackHigh(lo2a, lo2b).AsUInt32();
        Vector512<uint> g2k2 = Avx512F.UnpackLow(hi2a, hi2b).AsUInt32(), g2k3 = Avx512F.UnpackHigh(hi2a, hi2b).AsUInt32();
        Vector512<ulong> lo3a = Avx512F.UnpackLow(r12, r13).AsUInt64(), hi3a = Avx512F.UnpackHigh(r12, r13).AsUInt64();
        Vector512<ulong> lo3b = Avx512F.UnpackLow(r14, r15).AsUInt64(), hi3b = Avx512F.UnpackHigh(r14, r15).AsUInt64();
        Vector512<uint> g3k0 = Avx512F.UnpackLow(lo3a, lo3b).AsUInt32(), g3k1 = Avx512F.UnpackHigh(lo3a, lo3b).AsUInt32();
        Vector512<uint> g3k2 = Avx512F.UnpackLow(hi3a, hi3b).AsUInt32(), g3k3 = Avx512F.UnpackHigh(hi3a, hi3b).AsUInt32();
        Vector512<uint> p0 = Avx512F.Shuffle4x128(g0k0, g1k0, 0x88), q0 = Avx512F.Shuffle4x128(g0k0, g1k0, 0xDD);
        Vector512<uint> r0x = Avx512F.Shuffle4x128(g2k0, g3k0, 0x88), s0 = Avx512F.Shuffle4x128(g2k0, g3k0, 0xDD);
        m[0] = Avx512F.Shuffle4x128(p0, r0x, 0x88);
        m[8] = Avx512F.Shuffle4x128(p0, r0x, 0xDD);
        m[4] = Avx512F.Shuffle4x128(q0, s0, 0x88);
        m[12] = Avx512F.Shuffle4x128(q0, s0, 0xDD);
        Vector512<uint> p1 = Avx512F.Shuffle4x128(g0k1, g1k1, 0x88), q1 = Avx512F.Shuffle4x128(g0k1, g1k1, 0xDD);
        Vector512<uint> r1x = Avx512F.Shuffle4x128(g2k1, g3k1, 0x88), s1 = Avx512F.Shuffle4x128(g2k1, g3k1, 0xDD);
        m[1] = Avx512F.Shuffle4x128(p1, r1x, 0x88);
        m[9] = Avx512F.Shuffle4x128(p1, r1x, 0xDD);
        m[5] = Avx512F.Shuffle4x128(q1, s1, 0x88);
        m[13] = Avx512F.Shuffle4x128(q1, s1, 0xDD);
        Vector512<uint> p2 = Avx512F.Shuffle4x128(g0k2, g1k2, 0x88), q2 = Avx512F.Shuffle4x128(g0k2, g1k2, 0xDD);
        Vector512<uint> r2x = Avx512F.Shuffle4x128(g2k2, g3k2, 0x88), s2 = Avx512F.Shuffle4x128(g2k2, g3k2, 0xDD);
        m[2] = Avx512F.Shuffle4x128(p2, r2x, 0x88);
        m[10] = Avx512F.Shuffle4x128(p2, r2x, 0xDD);
        m[6] = Avx512F.Shuffle4x128(q2, s2, 0x88);
        m[14] = Avx512F.Shuffle4x128(q2, s2, 0xDD);
        Vector512<uint> p3 = Avx512F.Shuffle4x128(g0k3, g1k3, 0x88), q3 = Avx512F.Shuffle4x128(g0k3, g1k3, 0xDD);
        Vector512<uint> r3x = Avx512F.Shuffle4x128(g2k3, g3k3, 0x88), s3 = Avx512F.Shuffle4x128(g2k3, g3k3, 0xDD);
        m[3] = Avx512F.Shuffle4x128(p3, r3x, 0x88);
        m[11] = Avx512F.Shuffle4x128(p3, r3x, 0xDD);
        m[7] = Avx512F.Shuffle4x128(q3, s3, 0x88);
        m[15] = Avx512F.Shuffle4x128(q3, s3, 0xDD);
    }

    /// <summary>Writes the first <paramref name="words"/> words of each of the first <paramref name="count"/> lanes, lane after lane.</summary>
    private static void StoreLanes(Vector512<uint>* wordVectors, int words, int count, byte* output, Vector512<uint>* scratch)
    {
        for (int i = 0; i < 16; i++) scratch[i] = i < words ? wordVectors[i] : default;
        Vector512<uint>* rows = stackalloc Vector512<uint>[16];
        Transpose(scratch, rows);
        for (int lane = 0; lane < count; lane++)
        {
            if (words == 16) rows[lane].Store((uint*)(output + 64 * lane));
            else rows[lane].GetLower().Store((uint*)(output + 32 * lane));
        }
    }
}
