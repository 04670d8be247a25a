using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MesFast.Crypto;

/// <summary>
/// LtHash, the homomorphic multiset hash behind a shard's <c>stateRoot</c> (DESIGN §4): a vector of 1,024 u16 lanes.
/// Adding an entry adds its expansion (<see cref="LtHashExpansion"/>: BLAKE3 derive-key <c>"mes/lthash/v1"</c>,
/// 2,048 XOF bytes as little-endian u16) lane-wise modulo 2^16; removing subtracts it. The sum is independent of
/// order, so state changes update the root in O(changes). All-zero lanes = the empty set.
/// <see cref="Digest"/> = <c>H(ssa, lanes as 2,048 little-endian bytes)</c>.
/// <para>
/// A class owning its <c>ushort[1024]</c> rather than a 2 KiB struct: a struct of that size would be copied silently
/// on every pass by value and a mutation of a copy would be lost — a consensus bug waiting to happen. One array per
/// accumulator is cheap (a node holds a few per shard); hot operations allocate nothing. Not thread-safe.
/// </para>
/// </summary>
public sealed class LtHash : IEquatable<LtHash>
{
    public const int LaneCount = 1024;

    public const int ByteLength = LaneCount * sizeof(ushort);

    private readonly ushort[] _lanes = new ushort[LaneCount];

    /// <summary>An empty set (all lanes zero).</summary>
    public LtHash()
    {
    }

    /// <summary>Lane arithmetic implementation; tests force each path, the default is the widest accelerated one.</summary>
    internal LtHashLanePath LanePath { get; set; } = LtHashLanes.Best;

    /// <summary>The lanes (little-endian meaning is only for the byte form; here they are plain values).</summary>
    public ReadOnlySpan<ushort> Lanes => _lanes;

    /// <summary>Whether every lane is zero, i.e. the accumulated multiset is empty (or, with negligible probability, sums to zero).</summary>
    public bool IsEmpty => _lanes.AsSpan().IndexOfAnyExcept((ushort)0) < 0;

    /// <summary>Adds one entry to the set.</summary>
    [SkipLocalsInit] // the expansion buffer is fully overwritten by the XOF before it is read
    public void Add(ReadOnlySpan<byte> entry)
    {
        Span<ushort> expansion = stackalloc ushort[LaneCount];
        LtHashExpansion.Expand(entry, expansion);
        LtHashLanes.Add(_lanes, expansion, LanePath);
    }

    /// <summary>Removes one entry from the set (subtracts its expansion).</summary>
    [SkipLocalsInit] // the expansion buffer is fully overwritten by the XOF before it is read
    public void Remove(ReadOnlySpan<byte> entry)
    {
        Span<ushort> expansion = stackalloc ushort[LaneCount];
        LtHashExpansion.Expand(entry, expansion);
        LtHashLanes.Subtract(_lanes, expansion, LanePath);
    }

    /// <summary>
    /// Adds many entries (block application): entry <c>i</c> is <c>entries[offsets[i]..offsets[i + 1]]</c>, so
    /// <paramref name="offsets"/> holds entryCount + 1 non-decreasing boundaries.
    /// </summary>
    public void AddMany(ReadOnlySpan<byte> entries, ReadOnlySpan<int> offsets) => ApplyMany(entries, offsets, subtract: false);

    /// <summary>Removes many entries; same layout as <see cref="AddMany"/>.</summary>
    public void RemoveMany(ReadOnlySpan<byte> entries, ReadOnlySpan<int> offsets) => ApplyMany(entries, offsets, subtract: true);

    /// <summary>Adds another set's lanes (multiset union).</summary>
    public void Add(LtHash other)
    {
        ArgumentNullException.ThrowIfNull(other);
        LtHashLanes.Add(_lanes, other._lanes, LanePath);
    }

    /// <summary>Subtracts another set's lanes (multiset difference).</summary>
    public void Subtract(LtHash other)
    {
        ArgumentNullException.ThrowIfNull(other);
        LtHashLanes.Subtract(_lanes, other._lanes, LanePath);
    }

    /// <summary>Back to the empty set.</summary>
    public void Clear() => Array.Clear(_lanes);

    /// <summary>An independent copy.</summary>
    public LtHash Clone()
    {
        var copy = new LtHash { LanePath = LanePath };
        _lanes.CopyTo(copy._lanes, 0);
        return copy;
    }

    /// <summary>The shard root: <c>H(ssa, 2,048-byte little-endian lane encoding)</c>.</summary>
    public Hash32 Digest()
    {
        if (BitConverter.IsLittleEndian) return DomainHash.Compute(DomainHash.Ssa, MemoryMarshal.AsBytes(_lanes.AsSpan()));
        Span<byte> bytes = stackalloc byte[ByteLength];
        CopyTo(bytes);
        return DomainHash.Compute(DomainHash.Ssa, bytes);
    }

    /// <summary>Writes the 2,048-byte persisted form: lane <c>i</c> as little-endian u16 at byte <c>2i</c>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < ByteLength)
            throw new ArgumentException($"destination needs {ByteLength} bytes, has {destination.Length}", nameof(destination));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(_lanes.AsSpan()).CopyTo(destination);
            return;
        }
        for (int i = 0; i < LaneCount; i++) BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], _lanes[i]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Reads the 2,048-byte form written by <see cref="CopyTo"/>. Every 2,048-byte string is a valid state.</summary>
    public static LtHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"an LtHash is {ByteLength} bytes, got {bytes.Length}", nameof(bytes));
        var hash = new LtHash();
        for (int i = 0; i < LaneCount; i++) hash._lanes[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
        return hash;
    }

    public bool Equals(LtHash? other) => other is not null && _lanes.AsSpan().SequenceEqual(other._lanes);

    public override bool Equals(object? obj) => obj is LtHash other && Equals(other);

    /// <summary>Hash of the current contents (the object is mutable: do not mutate while it is a dictionary key).</summary>
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(MemoryMarshal.AsBytes(_lanes.AsSpan(0, 2)));

    [SkipLocalsInit] // the expansion buffer is fully overwritten by the XOF before it is read
    private void ApplyMany(ReadOnlySpan<byte> entries, ReadOnlySpan<int> offsets, bool subtract)
    {
        if (offsets.Length == 0) return;
        ValidateOffsets(entries.Length, offsets);
        Span<ushort> expansion = stackalloc ushort[LaneCount];
        for (int i = 0; i + 1 < offsets.Length; i++)
        {
            LtHashExpansion.Expand(entries[offsets[i]..offsets[i + 1]], expansion);
            if (subtract) LtHashLanes.Subtract(_lanes, expansion, LanePath);
            else LtHashLanes.Add(_lanes, expansion, LanePath);
        }
    }

    private static void ValidateOffsets(int entriesLength, ReadOnlySpan<int> offsets)
    {
        if (offsets[0] < 0) throw new ArgumentException("offsets must start at 0 or later", nameof(offsets));
        for (int i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1])
                throw new ArgumentException($"offsets must not decrease (index {i})", nameof(offsets));
        if (offsets[^1] > entriesLength)
            throw new ArgumentException($"last offset {offsets[^1]} is past the entries ({entriesLength} bytes)", nameof(offsets));
    }
}
