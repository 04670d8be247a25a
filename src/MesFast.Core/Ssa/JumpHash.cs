namespace MesFast.Core.Ssa;

/// <summary>
/// Jump consistent hash (Lamping &amp; Veach, 2014): maps a 64-bit key to one of <c>buckets</c> so that growing
/// from n to n+1 buckets moves only ~1/(n+1) of the keys, all to the new bucket.
/// </summary>
public static class JumpHash
{
    public static int Bucket(ulong key, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        long b = -1, j = 0;
        while (j < buckets)
        {
            b = j;
            key = unchecked(key * 2862933555777941757UL + 1);
            // (b + 1) * 2^31 / ((key >> 33) + 1), in floating point exactly as the paper defines it.
            j = (long)((b + 1) * (double)(1L << 31) / ((key >> 33) + 1));
        }
        return (int)b;
    }
}
