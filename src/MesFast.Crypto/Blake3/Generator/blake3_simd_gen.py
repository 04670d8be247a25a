#!/usr/bin/env python3
"""Writes the unrolled SIMD BLAKE3 back ends: Blake3Avx512.cs, Blake3Avx2.cs, Blake3Sse.cs.

The seven rounds (BLAKE3 spec section 2.2) are written out with the message schedule applied at generation time
(permutation table 2), so the C# has no permutation moves and no loops in the rounds.
Run from anywhere:  python3 src/MesFast.Crypto/Blake3/Generator/blake3_simd_gen.py  (then build and test).
"""
import os

PERM=[2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8]
def schedule():
    s=list(range(16)); out=[]
    for r in range(7):
        out.append(s[:]); s=[s[p] for p in PERM]
    return out
def rounds_text(rot, ind):
    L=[]
    for r,s in enumerate(schedule()):
        L.append(f"// Round {r}: message words in schedule order (spec §2.2, permutation table 2).")
        for half,groups in enumerate([[(0,4,8,12),(1,5,9,13),(2,6,10,14),(3,7,11,15)],[(0,5,10,15),(1,6,11,12),(2,7,8,13),(3,4,9,14)]]):
            mx=[s[2*(4*half+i)] for i in range(4)]; my=[s[2*(4*half+i)+1] for i in range(4)]
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{a} = v{a} + v{b} + m[{mx[i]}];")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{d} = {rot(f'v{d} ^ v{a}',16)};")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{c} += v{d};")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{b} = {rot(f'v{b} ^ v{c}',12)};")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{a} = v{a} + v{b} + m[{my[i]}];")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{d} = {rot(f'v{d} ^ v{a}',8)};")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{c} += v{d};")
            for i,(a,b,c,d) in enumerate(groups): L.append(f"v{b} = {rot(f'v{b} ^ v{c}',7)};")
    return "\n".join(ind+x for x in L)

def round_code(isa):
    if isa == "512":
        rot = lambda x, n: f"Avx512F.RotateRight({x}, {n})"
    elif isa == "256":
        rot = lambda x, n: (f"Avx2.Shuffle(({x}).AsByte(), rot{n}).AsUInt32()" if n in (16, 8) else f"Rotr{n}({x})")
    else:
        rot = lambda x, n: (f"Ssse3.Shuffle(({x}).AsByte(), rot{n}).AsUInt32()" if n in (16, 8) else f"Rotr{n}({x})")
    return rounds_text(rot, " " * 8) + "\n"


# The C# file template, run once per instruction set with `isa` set; it leaves the file text in `src`.
TEMPLATE = r'''
rounds = round_code(isa)
cfg={
"512":dict(cls="Blake3Avx512",V="Vector512",L=16,sup="Avx512F.IsSupported",isa="AVX-512F (vprord rotations, 16x16 transposes with vshufi32x4)",usings="using System.Runtime.Intrinsics.X86;",rotdecl="",helpers=""),
"256":dict(cls="Blake3Avx2",V="Vector256",L=8,sup="Avx2.IsSupported",isa="AVX2 (byte-shuffle rot16/rot8, shift rotations, 8x8 transposes)",usings="using System.Runtime.Intrinsics.X86;",
  rotdecl="        Vector256<byte> rot16 = Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);\n        Vector256<byte> rot8 = Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);\n",
  helpers=""),
"128":dict(cls="Blake3Sse",V="Vector128",L=4,sup="Ssse3.IsSupported",isa="SSSE3 (byte-shuffle rot16/rot8, shift rotations, 4x4 transposes)",usings="using System.Runtime.Intrinsics.X86;",
  rotdecl="        Vector128<byte> rot16 = Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);\n        Vector128<byte> rot8 = Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);\n",
  helpers=""),
}[isa]
V=cfg["V"]; L=cfg["L"]
if isa!="512":
    cfg["helpers"]=f"""
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static {V}<uint> Rotr12({V}<uint> x) => {V}.ShiftRightLogical(x, 12) | {V}.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static {V}<uint> Rotr7({V}<uint> x) => {V}.ShiftRightLogical(x, 7) | {V}.ShiftLeft(x, 25);
"""
transpose={
"512":"""
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
""",
"256":"""
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
""",
"128":"""
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
""",
}[isa]
rounds4="\n".join("    "+l if l else l for l in rounds.splitlines())
src=f"""// Generated by Generator/blake3_simd_gen.py: edit the generator, not this file.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
{cfg['usings']}

namespace MesFast.Crypto;

/// <summary>
/// BLAKE3 compression of {L} independent blocks at once, one per 32-bit lane of <c>{V}&lt;uint&gt;</c>, with
/// {cfg['isa']}. The state words v0–v15 and the message words m0–m15 are each one vector across the lanes
/// (the "hash_many" layout of the BLAKE3 paper §5.3), so no shuffles are needed between the G steps.
/// Used for leaf chunks (§2.5), parent nodes (§2.5), root output blocks (§2.6) and batches of short messages.
/// </summary>
internal static unsafe class {cfg["cls"]}
{{
    public const int Lanes = {L};

    public static bool IsSupported => {cfg['sup']};

    /// <summary>
    /// Hashes <paramref name="blocks"/> consecutive 64-byte blocks from each of the {L} row pointers and writes the
    /// chaining values of the first <paramref name="count"/> lanes (32 bytes each). Lane i uses counter
    /// <c>counter + i</c> when <paramref name="incrementCounter"/> (chunks) else <c>counter</c> (parents).
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(byte** rows, int count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {{
        {V}<uint>* cv = stackalloc {V}<uint>[16];
        {V}<uint>* m = stackalloc {V}<uint>[16];
        {V}<uint>* scratch = stackalloc {V}<uint>[16];
{cfg['rotdecl']}        // The chaining value stays in locals across the blocks of the inputs; the rounds are inlined (spec §2.2).
        {V}<uint> h0 = {V}.Create(key[0]), h1 = {V}.Create(key[1]), h2 = {V}.Create(key[2]), h3 = {V}.Create(key[3]);
        {V}<uint> h4 = {V}.Create(key[4]), h5 = {V}.Create(key[5]), h6 = {V}.Create(key[6]), h7 = {V}.Create(key[7]);
        LaneCounters(counter, incrementCounter, out {V}<uint> counterLow, out {V}<uint> counterHigh);
        for (int b = 0; b < blocks; b++)
        {{
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            LoadMessage(rows, b * Blake3Constants.BlockLength, m, scratch);
            {V}<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            {V}<uint> v8 = {V}.Create(Blake3Constants.IV0), v9 = {V}.Create(Blake3Constants.IV1);
            {V}<uint> v10 = {V}.Create(Blake3Constants.IV2), v11 = {V}.Create(Blake3Constants.IV3);
            {V}<uint> v12 = counterLow, v13 = counterHigh, v14 = {V}.Create((uint)Blake3Constants.BlockLength), v15 = {V}.Create(blockFlags);
{rounds4}
            h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
            h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
        }}
        cv[0] = h0; cv[1] = h1; cv[2] = h2; cv[3] = h3; cv[4] = h4; cv[5] = h5; cv[6] = h6; cv[7] = h7;
        StoreLanes(cv, 8, count, output, scratch);
    }}

    /// <summary>
    /// Short messages, one per lane, each a single chunk of its own (counter 0): <paramref name="rows"/>,
    /// <paramref name="blockLengths"/> and <paramref name="blockFlags"/> are <c>maxBlocks × {L}</c>, block-major.
    /// Lanes whose message has fewer blocks keep their chaining value (a masked blend) once past their last block,
    /// whose flags carry CHUNK_END | ROOT, so the chaining value is the 32-byte hash (§2.6).
    /// </summary>
    [SkipLocalsInit]
    public static void HashShortMessages(byte** rows, uint* blockLengths, uint* blockFlags, uint* lastBlock, int maxBlocks,
        uint* key, int count, byte* output)
    {{
        {V}<uint>* cv = stackalloc {V}<uint>[16];
        {V}<uint>* previous = stackalloc {V}<uint>[8];
        {V}<uint>* m = stackalloc {V}<uint>[16];
        {V}<uint>* scratch = stackalloc {V}<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = {V}.Create(key[i]);
        {V}<uint> last = {V}.Load(lastBlock);
        for (int b = 0; b < maxBlocks; b++)
        {{
            for (int i = 0; i < 8; i++) previous[i] = cv[i];
            LoadMessage(rows + b * Lanes, 0, m, scratch);
            Compress(cv, m, default, default, {V}.Load(blockLengths + b * Lanes), {V}.Load(blockFlags + b * Lanes), null);
            {V}<uint> active = {V}.GreaterThanOrEqual(last, {V}.Create((uint)b));
            for (int i = 0; i < 8; i++) cv[i] = {V}.ConditionalSelect(active, cv[i], previous[i]);
        }}
        StoreLanes(cv, 8, count, output, scratch);
    }}

    /// <summary>
    /// Root output blocks <c>counter … counter + count − 1</c> (XOF, §2.6): the same input CV and block in every lane,
    /// one output-block counter per lane; writes <c>64 × count</c> bytes.
    /// </summary>
    [SkipLocalsInit]
    public static void RootBlocks(uint* inputCv, byte* block, ulong counter, uint blockLength, uint flags, int count, byte* output)
    {{
        {V}<uint>* cv = stackalloc {V}<uint>[16];
        {V}<uint>* m = stackalloc {V}<uint>[16];
        {V}<uint>* words = stackalloc {V}<uint>[16];
        {V}<uint>* scratch = stackalloc {V}<uint>[16];
        for (int i = 0; i < 8; i++) cv[i] = {V}.Create(inputCv[i]);
        for (int i = 0; i < 16; i++) m[i] = {V}.Create(BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(block + 4 * i, 4)));
        LaneCounters(counter, true, out {V}<uint> counterLow, out {V}<uint> counterHigh);
        Compress(cv, m, counterLow, counterHigh, {V}.Create(blockLength), {V}.Create(flags), words);
        StoreLanes(words, 16, count, output, scratch);
    }}

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LaneCounters(ulong counter, bool increment, out {V}<uint> low, out {V}<uint> high)
    {{
        uint* lo = stackalloc uint[Lanes];
        uint* hi = stackalloc uint[Lanes];
        for (int i = 0; i < Lanes; i++)
        {{
            ulong c = counter + (increment ? (ulong)i : 0);
            lo[i] = (uint)c;
            hi[i] = (uint)(c >> 32);
        }}
        low = {V}.Load(lo);
        high = {V}.Load(hi);
    }}

    /// <summary>
    /// The compression function (§2.2) in all lanes, seven rounds fully unrolled. Updates <paramref name="cv"/> (8 vectors)
    /// to the new chaining value, or when <paramref name="fullOutput"/> is given writes all 16 output words there instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compress({V}<uint>* cv, {V}<uint>* m, {V}<uint> counterLow, {V}<uint> counterHigh,
        {V}<uint> blockLength, {V}<uint> flags, {V}<uint>* fullOutput)
    {{
{cfg['rotdecl']}        {V}<uint> v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        {V}<uint> v8 = {V}.Create(Blake3Constants.IV0), v9 = {V}.Create(Blake3Constants.IV1);
        {V}<uint> v10 = {V}.Create(Blake3Constants.IV2), v11 = {V}.Create(Blake3Constants.IV3);
        {V}<uint> v12 = counterLow, v13 = counterHigh, v14 = blockLength, v15 = flags;

{rounds}
        if (fullOutput == null)
        {{
            cv[0] = v0 ^ v8; cv[1] = v1 ^ v9; cv[2] = v2 ^ v10; cv[3] = v3 ^ v11;
            cv[4] = v4 ^ v12; cv[5] = v5 ^ v13; cv[6] = v6 ^ v14; cv[7] = v7 ^ v15;
        }}
        else
        {{
            fullOutput[8] = v8 ^ cv[0]; fullOutput[9] = v9 ^ cv[1]; fullOutput[10] = v10 ^ cv[2]; fullOutput[11] = v11 ^ cv[3];
            fullOutput[12] = v12 ^ cv[4]; fullOutput[13] = v13 ^ cv[5]; fullOutput[14] = v14 ^ cv[6]; fullOutput[15] = v15 ^ cv[7];
            fullOutput[0] = v0 ^ v8; fullOutput[1] = v1 ^ v9; fullOutput[2] = v2 ^ v10; fullOutput[3] = v3 ^ v11;
            fullOutput[4] = v4 ^ v12; fullOutput[5] = v5 ^ v13; fullOutput[6] = v6 ^ v14; fullOutput[7] = v7 ^ v15;
        }}
    }}
{cfg['helpers']}{transpose}}}
"""

'''


def generate(isa):
    scope = {"isa": isa, "round_code": round_code}
    exec(TEMPLATE, scope)
    return scope["src"]


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for isa_name, file_name in (("512", "Blake3Avx512.cs"), ("256", "Blake3Avx2.cs"), ("128", "Blake3Sse.cs")):
        with open(os.path.join(here, "..", file_name), "w", encoding="utf-8") as f:
            f.write(generate(isa_name))
