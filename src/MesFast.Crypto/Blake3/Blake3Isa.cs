namespace MesFast.Crypto;

/// <summary>The compression back ends, narrowest to widest; <see cref="Blake3Chunks"/> picks the widest supported one.</summary>
internal enum Blake3Isa
{
    Portable = 0,
    Sse = 1,
    Avx2 = 2,
    Avx512 = 3,
}
