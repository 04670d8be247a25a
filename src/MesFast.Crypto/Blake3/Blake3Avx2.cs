using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// BLAKE3 compression of 8 independent blocks at once, one per 32-bit lane of <c>Vector256&lt;uint&gt;</c>, with
/// AVX2 (byte-shuffle rot16/rot8, shift rotations, 8x8 transposes). The state words v0–v15 and the message words m0–m15 are each one vector across the lanes
/// (the "hash_many" layout of the BLAKE3 paper §5.3), so no shuffles are needed between the G steps.
/// Used for leaf chunks (§2.5), parent nodes (§2.5), root output blocks (§2.6) and batches of short messages.
/// </summary>
internal static unsafe class Blake3Avx2
{
    public const int Lanes = 8;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Hashes <paramref name="blocks"/> consecutive 64-byte blocks from each of the 8 row pointers and writes the
    /// chaining values of the first <paramref name="count"/> lanes (32 bytes each). Lane i uses counter
    /// <c>counter + i</c> when <paramref name="incrementCounter"/> (chunks) else <c>counter</c> (parents).
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(byte** rows, int count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector256<uint>* cv = stackalloc Vector256<uint>[16];
        Vector256<uint>* m = stackalloc Vector256<uint>[16];
        Vector256<uint>* scratch = stackalloc Vector256<uint>[16];
        Vector256<byte> rot16 = Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        Vector256<byte> rot8 = Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
        // The chaining value stays in locals across the blocks of the inputs; the rounds are inlined (spec §2.2).
        Vector256<uint> h0 = Vector256.Create(key[0]), h1 = Vector256.Create(key[1]), h2 = Vector256.Create(key[2]), h3 = Vector256.Create(key[3]);
        Vector256<uint> h4 = Vector256.Create(key[4]), h5 = Vector256.Create(key[5]), h6 = Vector256.Create(key[6]), h7 = Vector256.Create(key[7]);
        LaneCounters(counter, incrementCounter, out Vector256<uint> counterLow, out Vector256<uint> counterHigh);
        for (int b = 0; b < blocks; b++)
        {
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            LoadMessage(rows, b * Blake3Constants.BlockLength, m, scratch);
            Vector256<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector256<uint> v8 = Vector256.Create(Blake3Constants.IV0), v9 = Vector256.Create(Blake3Constants.IV1);
            Vector256<uint> v10 = Vector256.Create(Blake3Constants.IV2), v11 = Vector256.Create(Blake3Constants.IV3);
            Vector256<uint> v12 = counterLow, v13 = counterHigh, v14 = Vector256.Create((uint)Blake3Constants.BlockLength), v15 = Vector256.Create(blockFlags);
            // Round 0: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[0];
            v1 = v1 + v5 + m[2];
            v2 = v2 + v6 + m[4];
            v3 = v3 + v7 + m[6];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[1];
            v1 = v1 + v5 + m[3];
            v2 = v2 + v6 + m[5];
            v3 = v3 + v7 + m[7];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[8];
            v1 = v1 + v6 + m[10];
            v2 = v2 + v7 + m[12];
            v3 = v3 + v4 + m[14];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[9];
            v1 = v1 + v6 + m[11];
            v2 = v2 + v7 + m[13];
            v3 = v3 + v4 + m[15];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 1: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[2];
            v1 = v1 + v5 + m[3];
            v2 = v2 + v6 + m[7];
            v3 = v3 + v7 + m[4];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[6];
            v1 = v1 + v5 + m[10];
            v2 = v2 + v6 + m[0];
            v3 = v3 + v7 + m[13];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[1];
            v1 = v1 + v6 + m[12];
            v2 = v2 + v7 + m[9];
            v3 = v3 + v4 + m[15];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[11];
            v1 = v1 + v6 + m[5];
            v2 = v2 + v7 + m[14];
            v3 = v3 + v4 + m[8];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 2: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[3];
            v1 = v1 + v5 + m[10];
            v2 = v2 + v6 + m[13];
            v3 = v3 + v7 + m[7];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[4];
            v1 = v1 + v5 + m[12];
            v2 = v2 + v6 + m[2];
            v3 = v3 + v7 + m[14];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[6];
            v1 = v1 + v6 + m[9];
            v2 = v2 + v7 + m[11];
            v3 = v3 + v4 + m[8];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[5];
            v1 = v1 + v6 + m[0];
            v2 = v2 + v7 + m[15];
            v3 = v3 + v4 + m[1];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 3: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[10];
            v1 = v1 + v5 + m[12];
            v2 = v2 + v6 + m[14];
            v3 = v3 + v7 + m[13];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[7];
            v1 = v1 + v5 + m[9];
            v2 = v2 + v6 + m[3];
            v3 = v3 + v7 + m[15];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[4];
            v1 = v1 + v6 + m[11];
            v2 = v2 + v7 + m[5];
            v3 = v3 + v4 + m[1];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[0];
            v1 = v1 + v6 + m[2];
            v2 = v2 + v7 + m[8];
            v3 = v3 + v4 + m[6];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 4: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[12];
            v1 = v1 + v5 + m[9];
            v2 = v2 + v6 + m[15];
            v3 = v3 + v7 + m[14];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[13];
            v1 = v1 + v5 + m[11];
            v2 = v2 + v6 + m[10];
            v3 = v3 + v7 + m[8];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[7];
            v1 = v1 + v6 + m[5];
            v2 = v2 + v7 + m[0];
            v3 = v3 + v4 + m[6];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[2];
            v1 = v1 + v6 + m[3];
            v2 = v2 + v7 + m[1];
            v3 = v3 + v4 + m[4];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 5: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[9];
            v1 = v1 + v5 + m[11];
            v2 = v2 + v6 + m[8];
            v3 = v3 + v7 + m[15];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[14];
            v1 = v1 + v5 + m[5];
            v2 = v2 + v6 + m[12];
            v3 = v3 + v7 + m[1];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[13];
            v1 = v1 + v6 + m[0];
            v2 = v2 + v7 + m[2];
            v3 = v3 + v4 + m[4];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[3];
            v1 = v1 + v6 + m[10];
            v2 = v2 + v7 + m[6];
            v3 = v3 + v4 + m[7];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            // Round 6: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[11];
            v1 = v1 + v5 + m[5];
            v2 = v2 + v6 + m[1];
            v3 = v3 + v7 + m[8];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr12(v4 ^ v8);
            v5 = Rotr12(v5 ^ v9);
            v6 = Rotr12(v6 ^ v10);
            v7 = Rotr12(v7 ^ v11);
            v0 = v0 + v4 + m[15];
            v1 = v1 + v5 + m[0];
            v2 = v2 + v6 + m[9];
            v3 = v3 + v7 + m[6];
            v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
            v8 += v12;
            v9 += v13;
            v10 += v14;
            v11 += v15;
            v4 = Rotr7(v4 ^ v8);
            v5 = Rotr7(v5 ^ v9);
            v6 = Rotr7(v6 ^ v10);
            v7 = Rotr7(v7 ^ v11);
            v0 = v0 + v5 + m[14];
            v1 = v1 + v6 + m[2];
            v2 = v2 + v7 + m[3];
            v3 = v3 + v4 + m[7];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr12(v5 ^ v10);
            v6 = Rotr12(v6 ^ v11);
            v7 = Rotr12(v7 ^ v8);
            v4 = Rotr12(v4 ^ v9);
            v0 = v0 + v5 + m[10];
            v1 = v1 + v6 + m[12];
            v2 = v2 + v7 + m[4];
            v3 = v3 + v4 + m[13];
            v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
            v10 += v15;
            v11 += v12;
            v8 += v13;
            v9 += v14;
            v5 = Rotr7(v5 ^ v10);
            v6 = Rotr7(v6 ^ v11);
            v7 = Rotr7(v7 ^ v8);
            v4 = Rotr7(v4 ^ v9);
            h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
            h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
        }
        cv[0] = h0; cv[1] = h1; cv[2] = h2; cv[3] = h3; cv[4] = h4; cv[5] = h5; cv[6] = h6; cv[7] = h7;
        StoreLanes(cv, 8, count, output, scratch);
    }

    /// <summary>
    /// Short messages, one per lane, each a single chunk of its own (counter 0): <paramref name="rows"/>,
    /// <paramref name="blockLengths"/> and <paramref name="blockFlags"/> are <c>maxBlocks × 8</c>, block-major.
    /// Lanes whose message has fewer blocks keep their chaining value (a masked blend) once past their last block,
    /// whose flags carry CHUNK_END | ROOT, so the chaining value is the 32-byte hash (§2.6).
    /// </summary>
    [SkipLocalsInit]
    public static void HashShortMessages(byte** rows, uint* blockLengths, uint* blockFlags, uint* lastBlock, int maxBlocks,
        uint* key, int count, byte* output)
    {
        Vector256<uint>* cv = stackalloc Vector256<uint>[16];
        Vector256<uint>* previous = stackalloc Vector256<uint>[8];
        Vector256<uint>* m = stackalloc Vector256<uint>[16];
        Vector256<uint>* scratch = stackalloc Vector256<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector256.Create(key[i]);
        Vector256<uint> last = Vector256.Load(lastBlock);
        for (int b = 0; b < maxBlocks; b++)
        {
            for (int i = 0; i < 8; i++) previous[i] = cv[i];
            LoadMessage(rows + b * Lanes, 0, m, scratch);
            Compress(cv, m, default, default, Vector256.Load(blockLengths + b * Lanes), Vector256.Load(blockFlags + b * Lanes), null);
            Vector256<uint> active = Vector256.GreaterThanOrEqual(last, Vector256.Create((uint)b));
            for (int i = 0; i < 8; i++) cv[i] = Vector256.ConditionalSelect(active, cv[i], previous[i]);
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
        Vector256<uint>* cv = stackalloc Vector256<uint>[16];
        Vector256<uint>* m = stackalloc Vector256<uint>[16];
        Vector256<uint>* words = stackalloc Vector256<uint>[16];
        Vector256<uint>* scratch = stackalloc Vector256<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector256.Create(inputCv[i]);
        for (int i = 0; i < 16; i++) m[i] = Vector256.Create(BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(block + 4 * i, 4)));
        LaneCounters(counter, true, out Vector256<uint> counterLow, out Vector256<uint> counterHigh);
        Compress(cv, m, counterLow, counterHigh, Vector256.Create(blockLength), Vector256.Create(flags), words);
        StoreLanes(words, 16, count, output, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LaneCounters(ulong counter, bool increment, out Vector256<uint> low, out Vector256<uint> high)
    {
        uint* lo = stackalloc uint[Lanes];
        uint* hi = stackalloc uint[Lanes];
        for (int i = 0; i < Lanes; i++)
        {
            ulong c = counter + (increment ? (ulong)i : 0);
            lo[i] = (uint)c;
            hi[i] = (uint)(c >> 32);
        }
        low = Vector256.Load(lo);
        high = Vector256.Load(hi);
    }

    /// <summary>
    /// The compression function (§2.2) in all lanes, seven rounds fully unrolled. Updates <paramref name="cv"/> (8 vectors)
    /// to the new chaining value, or when <paramref name="fullOutput"/> is given writes all 16 output words there instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compress(Vector256<uint>* cv, Vector256<uint>* m, Vector256<uint> counterLow, Vector256<uint> counterHigh,
        Vector256<uint> blockLength, Vector256<uint> flags, Vector256<uint>* fullOutput)
    {
        Vector256<byte> rot16 = Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        Vector256<byte> rot8 = Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
        Vector256<uint> v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        Vector256<uint> v8 = Vector256.Create(Blake3Constants.IV0), v9 = Vector256.Create(Blake3Constants.IV1);
        Vector256<uint> v10 = Vector256.Create(Blake3Constants.IV2), v11 = Vector256.Create(Blake3Constants.IV3);
        Vector256<uint> v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

        // Round 0: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[0];
        v1 = v1 + v5 + m[2];
        v2 = v2 + v6 + m[4];
        v3 = v3 + v7 + m[6];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[1];
        v1 = v1 + v5 + m[3];
        v2 = v2 + v6 + m[5];
        v3 = v3 + v7 + m[7];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[8];
        v1 = v1 + v6 + m[10];
        v2 = v2 + v7 + m[12];
        v3 = v3 + v4 + m[14];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[9];
        v1 = v1 + v6 + m[11];
        v2 = v2 + v7 + m[13];
        v3 = v3 + v4 + m[15];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 1: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[2];
        v1 = v1 + v5 + m[3];
        v2 = v2 + v6 + m[7];
        v3 = v3 + v7 + m[4];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[6];
        v1 = v1 + v5 + m[10];
        v2 = v2 + v6 + m[0];
        v3 = v3 + v7 + m[13];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[1];
        v1 = v1 + v6 + m[12];
        v2 = v2 + v7 + m[9];
        v3 = v3 + v4 + m[15];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[11];
        v1 = v1 + v6 + m[5];
        v2 = v2 + v7 + m[14];
        v3 = v3 + v4 + m[8];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 2: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[3];
        v1 = v1 + v5 + m[10];
        v2 = v2 + v6 + m[13];
        v3 = v3 + v7 + m[7];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[4];
        v1 = v1 + v5 + m[12];
        v2 = v2 + v6 + m[2];
        v3 = v3 + v7 + m[14];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[6];
        v1 = v1 + v6 + m[9];
        v2 = v2 + v7 + m[11];
        v3 = v3 + v4 + m[8];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[5];
        v1 = v1 + v6 + m[0];
        v2 = v2 + v7 + m[15];
        v3 = v3 + v4 + m[1];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 3: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[10];
        v1 = v1 + v5 + m[12];
        v2 = v2 + v6 + m[14];
        v3 = v3 + v7 + m[13];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[7];
        v1 = v1 + v5 + m[9];
        v2 = v2 + v6 + m[3];
        v3 = v3 + v7 + m[15];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[4];
        v1 = v1 + v6 + m[11];
        v2 = v2 + v7 + m[5];
        v3 = v3 + v4 + m[1];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[0];
        v1 = v1 + v6 + m[2];
        v2 = v2 + v7 + m[8];
        v3 = v3 + v4 + m[6];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 4: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[12];
        v1 = v1 + v5 + m[9];
        v2 = v2 + v6 + m[15];
        v3 = v3 + v7 + m[14];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[13];
        v1 = v1 + v5 + m[11];
        v2 = v2 + v6 + m[10];
        v3 = v3 + v7 + m[8];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[7];
        v1 = v1 + v6 + m[5];
        v2 = v2 + v7 + m[0];
        v3 = v3 + v4 + m[6];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[2];
        v1 = v1 + v6 + m[3];
        v2 = v2 + v7 + m[1];
        v3 = v3 + v4 + m[4];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 5: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[9];
        v1 = v1 + v5 + m[11];
        v2 = v2 + v6 + m[8];
        v3 = v3 + v7 + m[15];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[14];
        v1 = v1 + v5 + m[5];
        v2 = v2 + v6 + m[12];
        v3 = v3 + v7 + m[1];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[13];
        v1 = v1 + v6 + m[0];
        v2 = v2 + v7 + m[2];
        v3 = v3 + v4 + m[4];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[3];
        v1 = v1 + v6 + m[10];
        v2 = v2 + v7 + m[6];
        v3 = v3 + v4 + m[7];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);
        // Round 6: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[11];
        v1 = v1 + v5 + m[5];
        v2 = v2 + v6 + m[1];
        v3 = v3 + v7 + m[8];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr12(v4 ^ v8);
        v5 = Rotr12(v5 ^ v9);
        v6 = Rotr12(v6 ^ v10);
        v7 = Rotr12(v7 ^ v11);
        v0 = v0 + v4 + m[15];
        v1 = v1 + v5 + m[0];
        v2 = v2 + v6 + m[9];
        v3 = v3 + v7 + m[6];
        v12 = Avx2.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Avx2.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
        v8 += v12;
        v9 += v13;
        v10 += v14;
        v11 += v15;
        v4 = Rotr7(v4 ^ v8);
        v5 = Rotr7(v5 ^ v9);
        v6 = Rotr7(v6 ^ v10);
        v7 = Rotr7(v7 ^ v11);
        v0 = v0 + v5 + m[14];
        v1 = v1 + v6 + m[2];
        v2 = v2 + v7 + m[3];
        v3 = v3 + v4 + m[7];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr12(v5 ^ v10);
        v6 = Rotr12(v6 ^ v11);
        v7 = Rotr12(v7 ^ v8);
        v4 = Rotr12(v4 ^ v9);
        v0 = v0 + v5 + m[10];
        v1 = v1 + v6 + m[12];
        v2 = v2 + v7 + m[4];
        v3 = v3 + v4 + m[13];
        v15 = Avx2.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Avx2.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Avx2.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Avx2.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
        v10 += v15;
        v11 += v12;
        v8 += v13;
        v9 += v14;
        v5 = Rotr7(v5 ^ v10);
        v6 = Rotr7(v6 ^ v11);
        v7 = Rotr7(v7 ^ v8);
        v4 = Rotr7(v4 ^ v9);

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr12(Vector256<uint> x) => Vector256.ShiftRightLogical(x, 12) | Vector256.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr7(Vector256<uint> x) => Vector256.ShiftRightLogical(x, 7) | Vector256.ShiftLeft(x, 25);

    /// <summary>8x8 transpose of 32-bit words (unpack 32, unpack 64, then 128-bit lane permutes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(Vector256<uint>* src, Vector256<uint>* dst)
    {
        Vector256<uint>* t = stackalloc Vector256<uint>[8];
        for (int q = 0; q < 2; q++)
        {
            Vector256<uint> a = src[4 * q], b = src[4 * q + 1], c = src[4 * q + 2], d = src[4 * q + 3];
            Vector256<uint> abLo = Avx2.UnpackLow(a, b), abHi = Avx2.UnpackHigh(a, b);
            Vector256<uint> cdLo = Avx2.UnpackLow(c, d), cdHi = Avx2.UnpackHigh(c, d);
            t[4 * q] = Avx2.UnpackLow(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
            t[4 * q + 1] = Avx2.UnpackHigh(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
            t[4 * q + 2] = Avx2.UnpackLow(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
            t[4 * q + 3] = Avx2.UnpackHigh(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
        }
        for (int k = 0; k < 4; k++)
        {
            dst[k] = Avx2.Permute2x128(t[k], t[4 + k], 0x20);
            dst[4 + k] = Avx2.Permute2x128(t[k], t[4 + k], 0x31);
        }
    }

    /// <summary>Loads block <paramref name="offset"/> of 8 rows and transposes each 32-byte half in registers (one store per message word).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadMessage(byte** rows, nint offset, Vector256<uint>* m, Vector256<uint>* scratch)
    {
        for (int half = 0; half < 2; half++)
        {
            nint at = offset + 32 * half;
            Vector256<uint> r0 = Vector256.Load((uint*)(rows[0] + at));
            Vector256<uint> r1 = Vector256.Load((uint*)(rows[1] + at));
            Vector256<uint> r2 = Vector256.Load((uint*)(rows[2] + at));
            Vector256<uint> r3 = Vector256.Load((uint*)(rows[3] + at));
            Vector256<uint> r4 = Vector256.Load((uint*)(rows[4] + at));
            Vector256<uint> r5 = Vector256.Load((uint*)(rows[5] + at));
            Vector256<uint> r6 = Vector256.Load((uint*)(rows[6] + at));
            Vector256<uint> r7 = Vector256.Load((uint*)(rows[7] + at));
            Vector256<ulong> lo0a = Avx2.UnpackLow(r0, r1).AsUInt64(), hi0a = Avx2.UnpackHigh(r0, r1).AsUInt64();
            Vector256<ulong> lo0b = Avx2.UnpackLow(r2, r3).AsUInt64(), hi0b = Avx2.UnpackHigh(r2, r3).AsUInt64();
            Vector256<uint> g0k0 = Avx2.UnpackLow(lo0a, lo0b).AsUInt32(), g0k1 = Avx2.UnpackHigh(lo0a, lo0b).AsUInt32();
            Vector256<uint> g0k2 = Avx2.UnpackLow(hi0a, hi0b).AsUInt32(), g0k3 = Avx2.UnpackHigh(hi0a, hi0b).AsUInt32();
            Vector256<ulong> lo1a = Avx2.UnpackLow(r4, r5).AsUInt64(), hi1a = Avx2.UnpackHigh(r4, r5).AsUInt64();
            Vector256<ulong> lo1b = Avx2.UnpackLow(r6, r7).AsUInt64(), hi1b = Avx2.UnpackHigh(r6, r7).AsUInt64();
            Vector256<uint> g1k0 = Avx2.UnpackLow(lo1a, lo1b).AsUInt32(), g1k1 = Avx2.UnpackHigh(lo1a, lo1b).AsUInt32();
            Vector256<uint> g1k2 = Avx2.UnpackLow(hi1a, hi1b).AsUInt32(), g1k3 = Avx2.UnpackHigh(hi1a, hi1b).AsUInt32();
            Vector256<uint>* w = m + 8 * half;
            w[0] = Avx2.Permute2x128(g0k0, g1k0, 0x20);
            w[4] = Avx2.Permute2x128(g0k0, g1k0, 0x31);
            w[1] = Avx2.Permute2x128(g0k1, g1k1, 0x20);
            w[5] = Avx2.Permute2x128(g0k1, g1k1, 0x31);
            w[2] = Avx2.Permute2x128(g0k2, g1k2, 0x20);
            w[6] = Avx2.Permute2x128(g0k2, g1k2, 0x31);
            w[3] = Avx2.Permute2x128(g0k3, g1k3, 0x20);
            w[7] = Avx2.Permute2x128(g0k3, g1k3, 0x31);
        }
    }

    private static void StoreLanes(Vector256<uint>* wordVectors, int words, int count, byte* output, Vector256<uint>* scratch)
    {
        int stride = 4 * words;
        for (int half = 0; half < words / 8; half++)
        {
            Transpose8(wordVectors + 8 * half, scratch);
            for (int lane = 0; lane < count; lane++) scratch[lane].Store((uint*)(output + stride * lane + 32 * half));
        }
    }
}
