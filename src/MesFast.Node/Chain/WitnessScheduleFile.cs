using System.Globalization;
using MesFast.Core.Dpos;
using MesFast.Crypto;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>
/// The witness schedule as of a state checkpoint, <c>blocks/schedule-H.bin</c>, written with every checkpoint at
/// height H (the last three kept). Elections read the state at past boundaries, which a restarted node no longer
/// has, so the schedule is saved with the state it belongs to and the blocks after it are replayed through both.
/// Layout (little-endian): <c>u32 magic ‖ u64 afterHeight ‖ round current ‖ u8 hasPrevious ‖ [round previous] ‖
/// u32 n ‖ n × i32 misses ‖ i64 fullnessSum ‖ i32 fullnessBlocks ‖ u32 k ‖ k × key</c>; a round is <c>u32 epoch ‖
/// u64 epochStart ‖ u64 epochEnd ‖ u64 round ‖ Hash32 seed ‖ u32 n ‖ n × (key ‖ Address20)</c>.
/// </summary>
internal static class WitnessScheduleFile
{
    private const uint Magic = 0x3153_5357; // "WSS1"
    private const int Kept = 3;
    private const string Prefix = "schedule-";
    private const int MaxEvicted = 1 << 20;

    public static string PathOf(string blocksDir, ulong height) =>
        Path.Combine(blocksDir, Prefix + height.ToString("D20", CultureInfo.InvariantCulture) + ".bin");

    /// <summary>Writes the schedule's state (after <see cref="WitnessSchedule.AfterHeight"/>) and drops all but the newest files.</summary>
    public static void Write(string blocksDir, WitnessSchedule schedule)
    {
        var state = schedule.State;
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            w.Write(Magic);
            w.Write(state.AfterHeight);
            WriteRound(w, state.Current);
            w.Write(state.Previous is not null);
            if (state.Previous is not null) WriteRound(w, state.Previous);
            w.Write(state.Misses.Length);
            foreach (int m in state.Misses) w.Write(m);
            w.Write(state.FullnessSum);
            w.Write(state.FullnessBlocks);
            w.Write(state.Evicted.Length);
            foreach (var key in state.Evicted) w.Write(key.Span);
        }
        JsonFiles.WriteAtomically(PathOf(blocksDir, state.AfterHeight), buffer.ToArray(), secret: false);
        var files = Directory.GetFiles(blocksDir, Prefix + "*.bin");
        Array.Sort(files, StringComparer.Ordinal);
        for (int i = 0; i < files.Length - Kept; i++) File.Delete(files[i]);
    }

    /// <summary>The schedule saved with the checkpoint at <paramref name="height"/>; throws InvalidDataException when missing or damaged.</summary>
    public static WitnessSchedule Read(string blocksDir, ulong height, GenesisWitness[] genesis, DposParams rules)
    {
        string path = PathOf(blocksDir, height);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: no witness schedule for the state checkpoint at height {height}; resync this node (delete its data folder)");
        try
        {
            using var r = new BinaryReader(new MemoryStream(File.ReadAllBytes(path)));
            if (r.ReadUInt32() != Magic) throw new InvalidDataException($"{path}: not a witness schedule file");
            ulong after = r.ReadUInt64();
            var current = ReadRound(r);
            var previous = r.ReadBoolean() ? ReadRound(r) : null;
            var misses = new int[CountOf(r, current.Set.Count)];
            for (int i = 0; i < misses.Length; i++) misses[i] = r.ReadInt32();
            long sum = r.ReadInt64();
            int blocks = r.ReadInt32();
            var evicted = new Hash32[CountOf(r, MaxEvicted)];
            for (int i = 0; i < evicted.Length; i++) evicted[i] = new Hash32(r.ReadBytes(Hash32.Size));
            if (after != height || misses.Length != current.Set.Count) throw new InvalidDataException($"{path}: inconsistent witness schedule");
            return WitnessSchedule.FromState(genesis, rules, current, previous, after, misses, sum, blocks, evicted);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: damaged witness schedule file ({e.Message})", e);
        }
    }

    private static void WriteRound(BinaryWriter w, WitnessRound round)
    {
        w.Write(round.Epoch);
        w.Write(round.EpochStart);
        w.Write(round.EpochEnd);
        w.Write(round.Round);
        w.Write(round.EpochSeed.Span);
        w.Write(round.Set.Count);
        for (int i = 0; i < round.Set.Count; i++)
        {
            w.Write(round.Set.PublicKeys[i].Span);
            w.Write(round.Set.RewardAddresses[i].Span);
        }
    }

    private static WitnessRound ReadRound(BinaryReader r)
    {
        uint epoch = r.ReadUInt32();
        ulong epochStart = r.ReadUInt64(), epochEnd = r.ReadUInt64(), round = r.ReadUInt64();
        var seed = new Hash32(r.ReadBytes(Hash32.Size));
        int n = CountOf(r, Core.ProtocolLimits.MaxWitnessCount);
        var keys = new Hash32[n];
        var rewards = new Address[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = new Hash32(r.ReadBytes(Hash32.Size));
            rewards[i] = new Address(r.ReadBytes(Address.Size));
        }
        return new WitnessRound(epoch, epochStart, epochEnd, round, seed, new WitnessSet(keys, rewards));
    }

    private static int CountOf(BinaryReader r, int max)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > max) throw new InvalidDataException($"count {n} out of range");
        return n;
    }
}
