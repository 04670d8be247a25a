namespace MesFast.Crypto.Tests;

/// <summary><see cref="Blake3Batch"/> equals hashing one message at a time, through every forced back end.</summary>
public sealed class Blake3BatchTests
{
    public static TheoryData<string> Paths() => Blake3SimdPathTests.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Random_message_sets_equal_one_at_a_time_in_all_modes(string path)
    {
        int seed = TestSeed.Next();
        var rng = new Random(seed);
        Blake3Isa isa = Blake3SimdPathTests.Parse(path);
        using var _ = Blake3Chunks.Force(isa);
        for (int trial = 0; trial < 30; trial++)
        {
            int count = trial == 0 ? 1 : rng.Next(1, 201);
            int[] offsets = new int[count + 1];
            for (int i = 0; i < count; i++)
            {
                int length = rng.Next(4) switch
                {
                    0 => rng.Next(0, 3) + 64 * rng.Next(0, 18) - 1,  // around block edges, up to just past a chunk
                    _ => rng.Next(0, 1101),
                };
                offsets[i + 1] = offsets[i] + Math.Max(0, length);
            }
            var messages = new byte[offsets[count] + rng.Next(0, 5)];  // trailing bytes outside every message
            rng.NextBytes(messages);
            foreach (Blake3Key mode in Blake3SimdPathTests.Modes(rng))
            {
                var hashes = new byte[32 * count];
                Blake3Batch.Hash(mode, messages, offsets, hashes);
                var typed = new Hash32[count];
                Blake3Batch.Hash(mode, messages, offsets, typed);
                for (int i = 0; i < count; i++)
                {
                    Hash32 expected;
                    using (Blake3Chunks.Force(Blake3Isa.Portable)) expected = Blake3.Hash(mode, messages.AsSpan(offsets[i]..offsets[i + 1]));
                    string where = $"{isa} trial={trial} message={i}/{count} len={offsets[i + 1] - offsets[i]} flags={mode.Flags} seed={seed}";
                    Assert.True(expected.Span.SequenceEqual(hashes.AsSpan(32 * i, 32)), where);
                    Assert.True(expected.Equals(typed[i]), where + " (Hash32 overload)");
                }
            }
        }
    }

    [Fact]
    public void Empty_batch_and_bad_offsets_are_handled()
    {
        Blake3Batch.Hash(Blake3Key.Hash, [], [0], Span<byte>.Empty);
        Assert.Throws<ArgumentException>(() => Blake3Batch.Hash(Blake3Key.Hash, new byte[10], [], new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Blake3Batch.Hash(Blake3Key.Hash, new byte[10], [0, 11], new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Blake3Batch.Hash(Blake3Key.Hash, new byte[10], [5, 4], new byte[32]));
        Assert.Throws<ArgumentException>(() => Blake3Batch.Hash(Blake3Key.Hash, new byte[10], [0, 5, 10], new byte[63]));
    }

    [Fact]
    public void Batch_does_not_allocate()
    {
        var messages = new byte[1000 * 256];
        var offsets = new int[1001];
        for (int i = 0; i <= 1000; i++) offsets[i] = 256 * i;
        var hashes = new byte[32 * 1000];
        Blake3Batch.Hash(DomainHash.Tx, messages, offsets, hashes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Blake3Batch.Hash(DomainHash.Tx, messages, offsets, hashes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
