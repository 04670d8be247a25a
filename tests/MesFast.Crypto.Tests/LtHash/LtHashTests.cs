using System.Buffers.Binary;
using System.Text;

namespace MesFast.Crypto.Tests;

/// <summary>LtHash (DESIGN §4 stateRoot): homomorphic set hash over 1,024 u16 lanes.</summary>
public sealed class LtHashTests
{
    private static readonly Blake3Key LtHashMode = Blake3Key.DeriveKey("mes/lthash/v1");

    public static TheoryData<int> AllPaths() => new(Enum.GetValues<LtHashLanePath>().Select(p => (int)p));

    private static byte[][] RandomEntries(Random rng, int count)
    {
        var entries = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            entries[i] = new byte[rng.Next(0, 200)];
            rng.NextBytes(entries[i]);
        }
        return entries;
    }

    [Fact]
    public void Known_answer_lanes_are_the_XOF_bytes_as_little_endian_u16()
    {
        byte[] entry = Encoding.ASCII.GetBytes("hello");
        var xof = new byte[2048];
        Blake3.Hash(LtHashMode, entry, xof);
        var h = new LtHash();
        h.Add(entry);
        for (int i = 0; i < LtHash.LaneCount; i++) Assert.Equal(BinaryPrimitives.ReadUInt16LittleEndian(xof.AsSpan(2 * i)), h.Lanes[i]);
        // b3sum --derive-key mes/lthash/v1 -l 2048 of "hello", first four lanes
        Assert.Equal(new ushort[] { 49887, 33965, 41110, 44870 }, h.Lanes[..4].ToArray());
    }

    [Fact]
    public void Known_answer_digests()
    {
        // b3sum --derive-key "mes/ssa/v1" over the 2,048-byte lane encodings computed in Python.
        var h = new LtHash();
        Assert.Equal(Hash32.Parse("148ae436ae89982834e3a583378227c1b35ea7a3d9706366363d78297f7843d8"), h.Digest());
        h.Add(Encoding.ASCII.GetBytes("hello"));
        Assert.Equal(Hash32.Parse("6056c683dc785efb38c7964e41b6c5c625f38bd9a281e4b7fc423413db545818"), h.Digest());
        h.Add(Encoding.ASCII.GetBytes("world"));
        Assert.Equal(Hash32.Parse("9986d34c3dcd5ffa299e3f5e9225a281911da2fd5d207cbb089a6c915ffff050"), h.Digest());
    }

    [Fact]
    public void Digest_is_the_ssa_hash_of_the_byte_form()
    {
        var h = new LtHash();
        h.Add([1, 2, 3]);
        Assert.Equal(DomainHash.Compute(DomainHash.Ssa, h.ToBytes()), h.Digest());
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Every_lane_path_equals_the_scalar_reference(int path)
    {
        var rng = new Random(16 + path);
        var simd = new LtHash { LanePath = (LtHashLanePath)path };
        var scalar = new LtHash { LanePath = LtHashLanePath.Scalar };
        foreach (byte[] e in RandomEntries(rng, 60))
        {
            simd.Add(e);
            scalar.Add(e);
        }
        Assert.Equal(scalar, simd);
        foreach (byte[] e in RandomEntries(rng, 30))
        {
            simd.Remove(e);
            scalar.Remove(e);
        }
        Assert.Equal(scalar.Lanes.ToArray(), simd.Lanes.ToArray());
        var other = new LtHash();
        other.Add([9, 9, 9]);
        simd.Add(other);
        scalar.Add(other);
        Assert.Equal(scalar, simd);
        simd.Subtract(other);
        scalar.Subtract(other);
        other.Subtract(other);
        simd.Subtract(other);
        Assert.Equal(scalar, simd);
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Lane_kernels_wrap_modulo_2_16_on_odd_lengths(int path)
    {
        // Lengths that are not a multiple of any vector width exercise each kernel's scalar tail.
        var rng = new Random(path);
        foreach (int length in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1024, 1031 })
        {
            ushort[] a = Enumerable.Range(0, length).Select(_ => (ushort)rng.Next(65536)).ToArray();
            ushort[] b = Enumerable.Range(0, length).Select(_ => (ushort)rng.Next(65536)).ToArray();
            if (length > 0) (a[0], b[0]) = (0xffff, 2);
            ushort[] sum = (ushort[])a.Clone();
            LtHashLanes.Add(sum, b, (LtHashLanePath)path);
            for (int i = 0; i < length; i++) Assert.Equal((ushort)((a[i] + b[i]) & 0xffff), sum[i]);
            ushort[] diff = (ushort[])a.Clone();
            LtHashLanes.Subtract(diff, b, (LtHashLanePath)path);
            for (int i = 0; i < length; i++) Assert.Equal((ushort)((a[i] - b[i]) & 0xffff), diff[i]);
        }
    }

    [Fact]
    public void Order_does_not_matter()
    {
        var rng = new Random(1024);
        byte[][] entries = RandomEntries(rng, 50);
        var first = new LtHash();
        foreach (byte[] e in entries) first.Add(e);
        for (int round = 0; round < 5; round++)
        {
            byte[][] shuffled = (byte[][])entries.Clone();
            rng.Shuffle(shuffled);
            var h = new LtHash();
            foreach (byte[] e in shuffled) h.Add(e);
            Assert.Equal(first, h);
            Assert.Equal(first.Digest(), h.Digest());
        }
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Add_then_remove_is_the_empty_set(int path)
    {
        var rng = new Random(5);
        byte[][] entries = RandomEntries(rng, 40);
        var h = new LtHash { LanePath = (LtHashLanePath)path };
        Assert.True(h.IsEmpty);
        foreach (byte[] e in entries) h.Add(e);
        Assert.False(h.IsEmpty);
        rng.Shuffle(entries);
        foreach (byte[] e in entries) h.Remove(e);
        Assert.True(h.IsEmpty);
        Assert.Equal(new LtHash(), h);
        Assert.Equal(new LtHash().Digest(), h.Digest());
    }

    [Fact]
    public void Union_is_the_sum_of_the_parts()
    {
        var rng = new Random(6);
        byte[][] a = RandomEntries(rng, 20), b = RandomEntries(rng, 25);
        var ha = new LtHash();
        var hb = new LtHash();
        var union = new LtHash();
        foreach (byte[] e in a) { ha.Add(e); union.Add(e); }
        foreach (byte[] e in b) { hb.Add(e); union.Add(e); }
        LtHash sum = ha.Clone();
        sum.Add(hb);
        Assert.Equal(union, sum);
        sum.Subtract(hb);
        Assert.Equal(ha, sum);
    }

    [Fact]
    public void Multiset_semantics_adding_twice_differs_from_once()
    {
        var once = new LtHash();
        once.Add([1]);
        var twice = once.Clone();
        twice.Add([1]);
        Assert.NotEqual(once, twice);
        twice.Remove([1]);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Distinct_entries_give_distinct_digests()
    {
        var digests = new HashSet<Hash32>();
        var h = new LtHash();
        Assert.True(digests.Add(h.Digest()));
        for (int i = 0; i < 500; i++)
        {
            var single = new LtHash();
            single.Add(BitConverter.GetBytes(i));
            Assert.True(digests.Add(single.Digest()), $"entry {i}");
        }
        var empty = new LtHash();
        empty.Add([]);
        Assert.True(digests.Add(empty.Digest()), "the empty entry is an element, not the empty set");
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void AddMany_and_RemoveMany_equal_one_by_one(int path)
    {
        var rng = new Random(7);
        byte[][] entries = RandomEntries(rng, 33);
        byte[] packed = entries.SelectMany(e => e).ToArray();
        var offsets = new int[entries.Length + 1];
        for (int i = 0; i < entries.Length; i++) offsets[i + 1] = offsets[i] + entries[i].Length;

        var oneByOne = new LtHash();
        foreach (byte[] e in entries) oneByOne.Add(e);
        var batch = new LtHash { LanePath = (LtHashLanePath)path };
        batch.AddMany(packed, offsets);
        Assert.Equal(oneByOne, batch);
        batch.RemoveMany(packed, offsets);
        Assert.True(batch.IsEmpty);
        batch.AddMany(packed, [3]); // one boundary = no entries
        Assert.True(batch.IsEmpty);
        batch.AddMany(packed, []);
        Assert.True(batch.IsEmpty);
    }

    [Fact]
    public void AddMany_rejects_bad_offsets()
    {
        var h = new LtHash();
        Assert.Throws<ArgumentException>(() => h.AddMany(new byte[10], [-1, 4]));
        Assert.Throws<ArgumentException>(() => h.AddMany(new byte[10], [0, 5, 4]));
        Assert.Throws<ArgumentException>(() => h.AddMany(new byte[10], [0, 11]));
        Assert.True(h.IsEmpty);
    }

    [Fact]
    public void Byte_form_round_trips_little_endian()
    {
        var h = new LtHash();
        h.Add([42]);
        byte[] bytes = h.ToBytes();
        Assert.Equal(LtHash.ByteLength, bytes.Length);
        Assert.Equal(h.Lanes[0], BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(h.Lanes[1023], BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2046)));
        LtHash back = LtHash.FromBytes(bytes);
        Assert.Equal(h, back);
        Assert.Equal(h.Digest(), back.Digest());
        var span = new byte[3000];
        h.CopyTo(span);
        Assert.Equal(bytes, span[..2048]);
        Assert.Throws<ArgumentException>(() => LtHash.FromBytes(new byte[2047]));
        Assert.Throws<ArgumentException>(() => h.CopyTo(new byte[2047]));
    }

    [Fact]
    public void Clone_is_independent_and_equality_is_by_value()
    {
        var h = new LtHash();
        h.Add([1]);
        LtHash c = h.Clone();
        Assert.Equal(h, c);
        Assert.Equal(h.GetHashCode(), c.GetHashCode());
        c.Add([2]);
        Assert.NotEqual(h, c);
        Assert.False(h.Equals(null));
        Assert.False(h.Equals((object)"x"));
        c.Clear();
        Assert.True(c.IsEmpty);
    }

    [Fact]
    public void Expansion_uses_the_lthash_derive_key_context() =>
        Assert.Equal(Blake3.Hash(LtHashMode, [7]), Blake3.Hash(LtHashExpansion.Mode, [7]));
}
