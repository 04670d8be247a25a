using System.Globalization;
using System.Text;
using MesFast.Core.Consensus;
using MesFast.Crypto;

namespace MesFast.Core.Tests.Consensus.Simulation;

/// <summary>
/// One deterministic run: N witnesses with their own engine and host, a virtual clock, and one seeded
/// <see cref="System.Random"/> behind every choice (delays, drops, duplicates, partitions, crashes, Byzantine acts).
/// Checks SAFETY on every finalisation (one block and one state per height across honest nodes) and LIVENESS once
/// the network has healed (every honest node reaches a target height within <see cref="LivenessBoundMs"/>).
/// The same seed replays the same run exactly.
/// </summary>
internal sealed class Simulation
{
    public const long LivenessBoundMs = 60_000;
    private const long TickMs = 20;
    private const int TraceLength = 40;
    private const int MaxEvents = 3_000_000;

    private readonly SimScenario _scenario;
    private readonly SpbftOptions _options = new() { BaseTimeoutMs = 300, MaxTimeoutMs = 4_800 };
    private readonly PriorityQueue<SimEvent, (long, long)> _events = new();
    private readonly Node[] _nodes;
    private readonly Dictionary<ulong, (Hash32 Block, Hash32 State, int Node)> _finals = [];
    private readonly string[] _trace = new string[TraceLength];
    /// <summary>Equivocating proposers' variant block for each original block hash.</summary>
    private readonly Dictionary<Hash32, Hash32> _variants = [];
    private long _sequence;
    private int _traced;
    private string? _violation;

    public Simulation(SimScenario scenario, bool realSignatures)
    {
        _scenario = scenario;
        Random = new Random(scenario.Seed);
        SimScenario.FromSeed(scenario.Seed, Random); // keep the stream aligned with scenario creation
        Signer = realSignatures ? new Ed25519SimSigner(scenario.N, Random) : new KeyedHashSimSigner(scenario.N, Random);
        _nodes = new Node[scenario.N];
        for (int i = 0; i < scenario.N; i++)
        {
            _nodes[i] = new Node { Kind = scenario.Kinds[i] };
            Start(i, []);
            Schedule(Random.Next((int)TickMs), new SimEvent(EventKind.Tick, i));
        }
        if (scenario.Crash is { } crash)
        {
            Schedule(crash.At, new SimEvent(EventKind.Crash, crash.Node));
            Schedule(crash.Until, new SimEvent(EventKind.Restart, crash.Node));
        }
    }

    public Random Random { get; }

    public ISimSigner Signer { get; }

    public long Now { get; private set; }

    public int N => _scenario.N;

    public int FinalisedHeights => _finals.Count;

    public uint MaxFinalView { get; private set; }

    public int Events { get; private set; }

    /// <summary>Catch-ups that applied at least one block.</summary>
    public int CatchUps { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>Virtual time from the end of the chaos phase until every honest node reached the target height.</summary>
    public long HealToTargetMs { get; private set; }

    public ByzantineKind KindOf(int node) => _nodes[node].Kind;

    /// <summary>Runs to the liveness target; null when safe and live, otherwise the failure with the scenario and the trace tail.</summary>
    public string? Run()
    {
        ulong target = 0;
        long deadline = 0;
        bool healed = false;
        while (_violation is null)
        {
            if (!healed && Now >= _scenario.ChaosMs)
            {
                healed = true;
                target = HighestHonestTip() + (ulong)_scenario.ExtraHeights;
                deadline = Now + LivenessBoundMs;
            }
            if (healed && LowestHonestTip() >= target)
            {
                HealToTargetMs = Now - (deadline - LivenessBoundMs);
                return null;
            }
            if (healed && Now > deadline) return Fail($"LIVENESS: honest tips {Tips()} short of {target} {LivenessBoundMs} ms after healing");
            if (++Events > MaxEvents) return Fail("event budget exhausted");
            if (!_events.TryDequeue(out var e, out var at)) return Fail("no events left");
            Now = at.Item1;
            Handle(e);
        }
        return Fail(_violation);
    }

    private void Handle(SimEvent e)
    {
        var node = _nodes[e.Node];
        switch (e.Kind)
        {
            case EventKind.Tick:
                if (node.Alive) node.Engine.OnTick(Now);
                Schedule(Now + TickMs, e);
                break;
            case EventKind.Deliver:
                if (!node.Alive) return;
                Trace($"{e.From}->{e.Node} {Describe(e.Message!)}");
                if (e.Message!.Height > node.Engine.Height && !node.CatchingUp) RequestCatchUp(e.Node, e.From);
                node.Engine.OnMessage(e.Message);
                break;
            case EventKind.CatchUpReply:
                node.CatchingUp = false;
                if (!node.Alive) return;
                int applied = node.Host.ApplyCertified(e.Blocks!);
                Trace($"{e.Node} caught up {applied} blocks from {e.From} to tip {node.Host.TipHeight}");
                if (applied == 0) return;
                CatchUps++;
                node.Engine.OnCaughtUp(node.Host.TipHeight + 1);
                break;
            case EventKind.Crash:
                Trace($"{e.Node} crashes at height {node.Engine.Height}");
                node.Alive = false;
                break;
            case EventKind.Restart:
                Trace($"{e.Node} restarts at tip {node.Host.TipHeight}");
                Restarts++;
                Start(e.Node, node.Host.Chain);
                break;
        }
    }

    /// <summary>A (re)started node: a fresh host over its persisted chain and an engine at tip + 1.</summary>
    private void Start(int i, List<FinalBlock> persisted)
    {
        var node = _nodes[i];
        node.Host = new SimHost(this, i, persisted);
        node.Engine = new SpbftEngine(node.Host, node.Host.TipHeight + 1, _options);
        node.Alive = true;
        node.CatchingUp = false;
    }

    /// <summary>Asks the peer that sent a message of a later height for its final blocks above our tip.</summary>
    private void RequestCatchUp(int to, int from)
    {
        var peer = _nodes[from].Host;
        var self = _nodes[to].Host;
        if (peer.TipHeight <= self.TipHeight || IsCut(from, to)) return;
        var blocks = new List<FinalBlock>();
        for (ulong h = self.TipHeight + 1; h <= peer.TipHeight; h++) blocks.Add(peer.Chain[(int)h - 1]);
        _nodes[to].CatchingUp = true;
        Schedule(Now + 2 * (1 + Random.Next(_scenario.MaxDelayMs)), new SimEvent(EventKind.CatchUpReply, to, from, Blocks: blocks));
    }

    /// <summary>A node's broadcast: Byzantine nodes distort it, then each copy is dropped, delayed or duplicated.</summary>
    public void Send(int from, ConsensusMessage message)
    {
        var kind = _nodes[from].Kind;
        if (kind == ByzantineKind.Silent) return;
        for (int to = 0; to < N; to++)
        {
            if (to == from) continue;
            var copy = kind switch
            {
                ByzantineKind.Equivocate when to % 2 == 1 => Equivocation(from, message),
                ByzantineKind.DoubleVote when to % 2 == 1 => DoubleVote(message),
                _ => message,
            };
            Transmit(from, to, copy);
        }
    }

    private void Transmit(int from, int to, ConsensusMessage message)
    {
        bool chaos = Now < _scenario.ChaosMs;
        if (IsCut(from, to) || (chaos && Random.NextDouble() < _scenario.DropRate)) return;
        int copies = Random.NextDouble() < _scenario.DuplicateRate ? 2 : 1;
        for (int c = 0; c < copies; c++)
            Schedule(Now + 1 + Random.Next(_scenario.MaxDelayMs), new SimEvent(EventKind.Deliver, to, from, message));
    }

    private bool IsCut(int a, int b) =>
        _scenario.Partition is { } p && Now >= p.From && Now < p.Until && p.Group[a] != p.Group[b];

    /// <summary>
    /// The other half of the peers gets a variant of each proposal, and the equivocator's votes for the original
    /// go to them as votes for the variant: two blocks, each with the equivocator's full support.
    /// </summary>
    private ConsensusMessage Equivocation(int from, ConsensusMessage message)
    {
        switch (message)
        {
            case PrePrepareMessage prePrepare:
            {
                var variant = SimBlock.WithSalt(prePrepare.Block, (byte)(prePrepare.Block[100] + 1));
                _variants[SimBlock.HashOf(prePrepare.Block)] = SimBlock.HashOf(variant);
                return prePrepare with { Block = variant };
            }
            case NewViewMessage newView:
            {
                var variant = SimBlock.WithSalt(newView.Block, (byte)(newView.Block[100] + 1));
                var hash = SimBlock.HashOf(variant);
                _variants[SimBlock.HashOf(newView.Block)] = hash;
                var signed = ViewChangeSigning.NewView(7, newView.Height, newView.View, from, hash, newView.ViewChanges);
                return newView with { Block = variant, Signature = Signer.Sign(from, signed) };
            }
            case VoteMessage { Vote: var vote } when _variants.TryGetValue(vote.Block, out var other):
            {
                var signed = Vote.SigningHash(vote.Phase, 7, vote.Height, vote.View, other);
                return new VoteMessage(vote with { Block = other, Signature = Signer.Sign(vote.Witness, signed) });
            }
            default:
                return message;
        }
    }

    private ConsensusMessage DoubleVote(ConsensusMessage message)
    {
        if (message is not VoteMessage { Vote: var vote }) return message;
        Span<byte> other = stackalloc byte[32];
        Random.NextBytes(other);
        var block = new Hash32(other);
        var signed = Vote.SigningHash(vote.Phase, 7, vote.Height, vote.View, block);
        return new VoteMessage(vote with { Block = block, Signature = Signer.Sign(vote.Witness, signed) });
    }

    /// <summary>SAFETY: every honest finalisation of a height agrees on the block and the resulting state.</summary>
    public void RecordFinal(int node, ulong height, in Hash32 block, in Hash32 state, uint view)
    {
        if (_nodes[node].Kind != ByzantineKind.None) return;
        Trace($"{node} FINAL {height} {Short(block)} view {view}");
        if (view > MaxFinalView) MaxFinalView = view;
        if (!_finals.TryGetValue(height, out var first))
        {
            _finals[height] = (block, state, node);
            return;
        }
        if (first.Block != block) Violation($"SAFETY: height {height} final {Short(first.Block)} at node {first.Node} but {Short(block)} at node {node}");
        else if (first.State != state) Violation($"SAFETY: height {height} state {Short(first.State)} at node {first.Node} but {Short(state)} at node {node}");
    }

    public void Violation(string what) => _violation ??= what;

    private ulong HighestHonestTip()
    {
        ulong max = 0;
        foreach (var node in _nodes)
            if (node.Kind == ByzantineKind.None) max = Math.Max(max, node.Host.TipHeight);
        return max;
    }

    private ulong LowestHonestTip()
    {
        ulong min = ulong.MaxValue;
        foreach (var node in _nodes)
            if (node.Kind == ByzantineKind.None) min = Math.Min(min, node.Host.TipHeight);
        return min;
    }

    private string Tips()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < N; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i}:{_nodes[i].Host.TipHeight}/h{_nodes[i].Engine.Height}v{_nodes[i].Engine.View}{(_nodes[i].Kind == ByzantineKind.None ? "" : "B")} ");
        return sb.ToString();
    }

    private void Schedule(long at, SimEvent e) => _events.Enqueue(e, (at, _sequence++));

    private void Trace(string line) => _trace[_traced++ % TraceLength] = string.Create(CultureInfo.InvariantCulture, $"{Now,7}ms {line}");

    private string Fail(string what)
    {
        var sb = new StringBuilder();
        sb.Append(what).Append('\n').Append(_scenario).Append("\nnodes ").Append(Tips()).Append("\nlast events:\n");
        for (int k = Math.Max(0, _traced - TraceLength); k < _traced; k++) sb.Append("  ").Append(_trace[k % TraceLength]).Append('\n');
        return sb.ToString();
    }

    private static string Describe(ConsensusMessage message) => message switch
    {
        PrePrepareMessage p => $"PrePrepare h{p.Height} v{p.View} {Short(SimBlock.HashOf(p.Block))}",
        VoteMessage { Vote: var v } => $"{v.Phase} h{v.Height} v{v.View} {Short(v.Block)} by {v.Witness}",
        ViewChangeMessage c => $"ViewChange h{c.Height} →v{c.NewView} by {c.Witness}" + (c.Prepared is { } p ? $" prepared v{p.View} {Short(p.Block)}" : ""),
        NewViewMessage n => $"NewView h{n.Height} v{n.View} {n.ViewChanges.Length} changes {Short(SimBlock.HashOf(n.Block))}",
        _ => message.GetType().Name,
    };

    private static string Short(in Hash32 hash) => hash.ToString()[..8];

    private sealed class Node
    {
        public SpbftEngine Engine { get; set; } = null!;
        public SimHost Host { get; set; } = null!;
        public ByzantineKind Kind { get; init; }
        public bool Alive { get; set; }
        public bool CatchingUp { get; set; }
    }

    private enum EventKind
    {
        Tick,
        Deliver,
        CatchUpReply,
        Crash,
        Restart,
    }

    private readonly record struct SimEvent(EventKind Kind, int Node, int From = -1, ConsensusMessage? Message = null, List<FinalBlock>? Blocks = null);
}
