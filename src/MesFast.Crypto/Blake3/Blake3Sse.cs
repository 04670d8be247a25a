using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MesFast.Crypto;

/// <summary>
/// BLAKE3 compression of 4 independent blocks at once, one per 32-bit lane of <c>Vector128&lt;uint&gt;</c>, with
/// SSSE3 (byte-shuffle rot16/rot8, shift rotations, 4x4 transposes). The state words v0–v15 and the message words m0–m15 are each one vector across the lanes
/// (the "hash_many" layout of the BLAKE3 paper §5.3), so no shuffles are needed between the G steps.
/// Used for leaf chunks (§2.5), parent nodes (§2.5), root output blocks (§2.6) and batches of short messages.
/// </summary>
internal static unsafe class Blake3Sse
{
    public const int Lanes = 4;

    public static bool IsSupported => Ssse3.IsSupported;

    /// <summary>
    /// Hashes <paramref name="blocks"/> consecutive 64-byte blocks from each of the 4 row pointers and writes the
    /// chaining values of the first <paramref name="count"/> lanes (32 bytes each). Lane i uses counter
    /// <c>counter + i</c> when <paramref name="incrementCounter"/> (chunks) else <c>counter</c> (parents).
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(byte** rows, int count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector128<uint>* cv = stackalloc Vector128<uint>[16];
        Vector128<uint>* m = stackalloc Vector128<uint>[16];
        Vector128<uint>* scratch = stackalloc Vector128<uint>[16];
        Vector128<byte> rot16 = Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        Vector128<byte> rot8 = Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
        // The chaining value stays in locals across the blocks of the inputs; the rounds are inlined (spec §2.2).
        Vector128<uint> h0 = Vector128.Create(key[0]), h1 = Vector128.Create(key[1]), h2 = Vector128.Create(key[2]), h3 = Vector128.Create(key[3]);
        Vector128<uint> h4 = Vector128.Create(key[4]), h5 = Vector128.Create(key[5]), h6 = Vector128.Create(key[6]), h7 = Vector128.Create(key[7]);
        LaneCounters(counter, incrementCounter, out Vector128<uint> counterLow, out Vector128<uint> counterHigh);
        for (int b = 0; b < blocks; b++)
        {
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            LoadMessage(rows, b * Blake3Constants.BlockLength, m, scratch);
            Vector128<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector128<uint> v8 = Vector128.Create(Blake3Constants.IV0), v9 = Vector128.Create(Blake3Constants.IV1);
            Vector128<uint> v10 = Vector128.Create(Blake3Constants.IV2), v11 = Vector128.Create(Blake3Constants.IV3);
            Vector128<uint> v12 = counterLow, v13 = counterHigh, v14 = Vector128.Create((uint)Blake3Constants.BlockLength), v15 = Vector128.Create(blockFlags);
            // Round 0: message words in schedule order (spec §2.2, permutation table 2).
            v0 = v0 + v4 + m[0];
            v1 = v1 + v5 + m[2];
            v2 = v2 + v6 + m[4];
            v3 = v3 + v7 + m[6];
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
            v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
            v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
            v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
            v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
            v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
            v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
    /// <paramref name="blockLengths"/> and <paramref name="blockFlags"/> are <c>maxBlocks × 4</c>, block-major.
    /// Lanes whose message has fewer blocks keep their chaining value (a masked blend) once past their last block,
    /// whose flags carry CHUNK_END | ROOT, so the chaining value is the 32-byte hash (§2.6).
    /// </summary>
    [SkipLocalsInit]
    public static void HashShortMessages(byte** rows, uint* blockLengths, uint* blockFlags, uint* lastBlock, int maxBlocks,
        uint* key, int count, byte* output)
    {
        Vector128<uint>* cv = stackalloc Vector128<uint>[16];
        Vector128<uint>* previous = stackalloc Vector128<uint>[8];
        Vector128<uint>* m = stackalloc Vector128<uint>[16];
        Vector128<uint>* scratch = stackalloc Vector128<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector128.Create(key[i]);
        Vector128<uint> last = Vector128.Load(lastBlock);
        for (int b = 0; b < maxBlocks; b++)
        {
            for (int i = 0; i < 8; i++) previous[i] = cv[i];
            LoadMessage(rows + b * Lanes, 0, m, scratch);
            Compress(cv, m, default, default, Vector128.Load(blockLengths + b * Lanes), Vector128.Load(blockFlags + b * Lanes), null);
            Vector128<uint> active = Vector128.GreaterThanOrEqual(last, Vector128.Create((uint)b));
            for (int i = 0; i < 8; i++) cv[i] = Vector128.ConditionalSelect(active, cv[i], previous[i]);
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
        Vector128<uint>* cv = stackalloc Vector128<uint>[16];
        Vector128<uint>* m = stackalloc Vector128<uint>[16];
        Vector128<uint>* words = stackalloc Vector128<uint>[16];
        Vector128<uint>* scratch = stackalloc Vector128<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = Vector128.Create(inputCv[i]);
        for (int i = 0; i < 16; i++) m[i] = Vector128.Create(BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(block + 4 * i, 4)));
        LaneCounters(counter, true, out Vector128<uint> counterLow, out Vector128<uint> counterHigh);
        Compress(cv, m, counterLow, counterHigh, Vector128.Create(blockLength), Vector128.Create(flags), words);
        StoreLanes(words, 16, count, output, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LaneCounters(ulong counter, bool increment, out Vector128<uint> low, out Vector128<uint> high)
    {
        uint* lo = stackalloc uint[Lanes];
        uint* hi = stackalloc uint[Lanes];
        for (int i = 0; i < Lanes; i++)
        {
            ulong c = counter + (increment ? (ulong)i : 0);
            lo[i] = (uint)c;
            hi[i] = (uint)(c >> 32);
        }
        low = Vector128.Load(lo);
        high = Vector128.Load(hi);
    }

    /// <summary>
    /// The compression function (§2.2) in all lanes, seven rounds fully unrolled. Updates <paramref name="cv"/> (8 vectors)
    /// to the new chaining value, or when <paramref name="fullOutput"/> is given writes all 16 output words there instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compress(Vector128<uint>* cv, Vector128<uint>* m, Vector128<uint> counterLow, Vector128<uint> counterHigh,
        Vector128<uint> blockLength, Vector128<uint> flags, Vector128<uint>* fullOutput)
    {
        Vector128<byte> rot16 = Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        Vector128<byte> rot8 = Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
        Vector128<uint> v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        Vector128<uint> v8 = Vector128.Create(Blake3Constants.IV0), v9 = Vector128.Create(Blake3Constants.IV1);
        Vector128<uint> v10 = Vector128.Create(Blake3Constants.IV2), v11 = Vector128.Create(Blake3Constants.IV3);
        Vector128<uint> v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

        // Round 0: message words in schedule order (spec §2.2, permutation table 2).
        v0 = v0 + v4 + m[0];
        v1 = v1 + v5 + m[2];
        v2 = v2 + v6 + m[4];
        v3 = v3 + v7 + m[6];
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot16).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot16).AsUInt32();
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
        v12 = Ssse3.Shuffle((v12 ^ v0).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v1).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v2).AsByte(), rot8).AsUInt32();
        v15 = Ssse3.Shuffle((v15 ^ v3).AsByte(), rot8).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot16).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot16).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot16).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot16).AsUInt32();
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
        v15 = Ssse3.Shuffle((v15 ^ v0).AsByte(), rot8).AsUInt32();
        v12 = Ssse3.Shuffle((v12 ^ v1).AsByte(), rot8).AsUInt32();
        v13 = Ssse3.Shuffle((v13 ^ v2).AsByte(), rot8).AsUInt32();
        v14 = Ssse3.Shuffle((v14 ^ v3).AsByte(), rot8).AsUInt32();
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
    private static Vector128<uint> Rotr12(Vector128<uint> x) => Vector128.ShiftRightLogical(x, 12) | Vector128.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Rotr7(Vector128<uint> x) => Vector128.ShiftRightLogical(x, 7) | Vector128.ShiftLeft(x, 25);

    /// <summary>4x4 transpose of 32-bit words (unpack 32, unpack 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(Vector128<uint>* src, Vector128<uint>* dst)
    {
        Vector128<uint> a = src[0], b = src[1], c = src[2], d = src[3];
        Vector128<uint> abLo = Sse2.UnpackLow(a, b), abHi = Sse2.UnpackHigh(a, b);
        Vector128<uint> cdLo = Sse2.UnpackLow(c, d), cdHi = Sse2.UnpackHigh(c, d);
        dst[0] = Sse2.UnpackLow(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
        dst[1] = Sse2.UnpackHigh(abLo.AsUInt64(), cdLo.AsUInt64()).AsUInt32();
        dst[2] = Sse2.UnpackLow(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
        dst[3] = Sse2.UnpackHigh(abHi.AsUInt64(), cdHi.AsUInt64()).AsUInt32();
    }

    /// <summary>Loads block <paramref name="offset"/> of 4 rows and transposes each 16-byte quarter in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadMessage(byte** rows, nint offset, Vector128<uint>* m, Vector128<uint>* scratch)
    {
        byte* row0 = rows[0] + offset, row1 = rows[1] + offset, row2 = rows[2] + offset, row3 = rows[3] + offset;
        for (int quarter = 0; quarter < 4; quarter++)
        {
            nint at = 16 * quarter;
            Vector128<uint> a = Vector128.Load((uint*)(row0 + at)), b = Vector128.Load((uint*)(row1 + at));
            Vector128<uint> c = Vector128.Load((uint*)(row2 + at)), d = Vector128.Load((uint*)(row3 + at));
            Vector128<ulong> abLo = Sse2.UnpackLow(a, b).AsUInt64(), abHi = Sse2.UnpackHigh(a, b).AsUInt64();
            Vector128<ulong> cdLo = Sse2.UnpackLow(c, d).AsUInt64(), cdHi = Sse2.UnpackHigh(c, d).AsUInt64();
            Vector128<uint>* w = m + 4 * quarter;
            w[0] = Sse2.UnpackLow(abLo, cdLo).AsUInt32();
            w[1] = Sse2.UnpackHigh(abLo, cdLo).AsUInt32();
            w[2] = Sse2.UnpackLow(abHi, cdHi).AsUInt32();
            w[3] = Sse2.UnpackHigh(abHi, cdHi).AsUInt32();
        }
    }

    private static void StoreLanes(Vector128<uint>* wordVectors, int words, int count, byte* output, Vector128<uint>* scratch)
    {
        int stride = 4 * words;
        for (int quarter = 0; quarter < words / 4; quarter++)
        {
            Transpose4(wordVectors + 4 * quarter, scratch);
            for (int lane = 0; lane < count; lane++) scratch[lane].Store((uint*)(output + stride * lane + 16 * quarter));
        }
    }
}
