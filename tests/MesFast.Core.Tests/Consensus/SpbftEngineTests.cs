using MesFast.Core.Consensus;
using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Core.Tests.Consensus;

public sealed class SpbftEngineTests
{
    /// <summary>A witness node for tests: blocks are fixed-size fake encodings (header bytes then height), votes signed for real.</summary>
    private sealed class TestHost : IConsensusHost
    {
        private readonly byte[][] _seeds;
        private readonly byte[][] _publicKeys;
        private readonly Queue<(int From, ConsensusMessage Message)> _bus;

        public TestHost(int self, byte[][] seeds, byte[][] publicKeys, Queue<(int, ConsensusMessage)> bus)
        {
            Self = self;
            _seeds = seeds;
            _publicKeys = publicKeys;
            _bus = bus;
        }

        public int Self { get; }

        public List<(ulong Height, Hash32 Hash, CommitCertificate Cert)> Final { get; } = [];

        public int Executed { get; private set; }

        public uint ChainId => 9;

        public int WitnessCount(ulong height) => _seeds.Length;

        public int SelfIndex(ulong height) => Self;

        public int Proposer(ulong height, uint view) => (int)((height + view) % (ulong)_seeds.Length);

        public byte[]? BuildProposal(ulong height, uint view, long nowMs)
        {
            var block = new byte[Codec.HeaderView.EncodedSize];
            BitConverter.TryWriteBytes(block.AsSpan(5), height);
            block[100] = (byte)Self;
            return block;
        }

        public bool ExecuteProposal(ulong height, uint view, byte[] block, out Hash32 blockHash)
        {
            Executed++;
            blockHash = DomainHash.Compute(DomainHash.Header, block);
            return BitConverter.ToUInt64(block, 5) == height;
        }

        public void AbandonProposal(ulong height, in Hash32 blockHash)
        {
        }

        public Signature64 Sign(in Hash32 message)
        {
            var signature = new byte[64];
            CryptoEd25519.Sign(_seeds[Self], message.Span, signature);
            return new Signature64(signature);
        }

        public bool VerifyVote(ulong height, int witness, in Hash32 message, in Signature64 signature) =>
            (uint)witness < (uint)_publicKeys.Length && CryptoEd25519.Verify(_publicKeys[witness], message.Span, signature.Span);

        public void Broadcast(ConsensusMessage message) => _bus.Enqueue((Self, message));

        public void Finalized(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate) =>
            Final.Add((height, blockHash, certificate));
    }

    private static (TestHost[] Hosts, SpbftEngine[] Engines, Queue<(int, ConsensusMessage)> Bus) Network(int n)
    {
        var seeds = new byte[n][];
        var keys = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            seeds[i] = new byte[32];
            keys[i] = new byte[32];
            CryptoEd25519.GenerateKey(seeds[i], keys[i]);
        }
        var bus = new Queue<(int, ConsensusMessage)>();
        var hosts = new TestHost[n];
        var engines = new SpbftEngine[n];
        for (int i = 0; i < n; i++)
        {
            hosts[i] = new TestHost(i, seeds, keys, bus);
            engines[i] = new SpbftEngine(hosts[i], 1);
        }
        return (hosts, engines, bus);
    }

    [Fact]
    public void One_witness_finalises_each_height_within_the_tick()
    {
        var (hosts, engines, _) = Network(1);
        for (int h = 1; h <= 20; h++)
        {
            engines[0].OnTick(h * 500);
            Assert.Equal((ulong)h + 1, engines[0].Height);
        }
        Assert.Equal(20, hosts[0].Final.Count);
        var cert = hosts[0].Final[^1].Cert;
        Assert.Equal(20UL, cert.Height);
        Assert.Equal([true], cert.Signers);
        Assert.Single(cert.Signatures);
    }

    [Fact]
    public void Four_witnesses_agree_on_every_block_under_random_delivery_with_duplicates()
    {
        int seed = TestSeeds.Get(Random.Shared.Next());
        var rng = new Random(seed);
        var (hosts, engines, bus) = Network(4);
        for (int round = 0; round < 60; round++)
        {
            foreach (var e in engines) e.OnTick(round);
            // Deliver in random order, duplicating some messages; sender excluded.
            var pending = new List<(int From, ConsensusMessage Message)>();
            while (bus.Count > 0 || pending.Count > 0)
            {
                while (bus.Count > 0) pending.Add(bus.Dequeue());
                int pick = rng.Next(pending.Count);
                var (from, message) = pending[pick];
                pending.RemoveAt(pick);
                for (int to = 0; to < engines.Length; to++)
                    if (to != from)
                    {
                        engines[to].OnMessage(message);
                        if (rng.Next(10) == 0) engines[to].OnMessage(message);
                    }
            }
        }
        foreach (var host in hosts) Assert.True(host.Final.Count >= 50, $"seed {seed}: node {host.Self} finalised only {host.Final.Count}");
        int common = hosts.Min(x => x.Final.Count);
        for (int i = 0; i < common; i++)
        {
            var expected = hosts[0].Final[i];
            foreach (var host in hosts)
            {
                Assert.Equal(expected.Height, host.Final[i].Height);
                Assert.True(expected.Hash == host.Final[i].Hash, $"seed {seed}: fork at height {expected.Height}");
                Assert.True(host.Final[i].Cert.Signatures.Length >= 3);
            }
        }
    }

    [Fact]
    public void Aggregator_lets_exactly_one_thread_see_the_quorum()
    {
        for (int trial = 0; trial < 50; trial++)
        {
            var aggregator = new VoteAggregator(100, 67);
            var block = new Hash32(new byte[32]);
            int winners = 0;
            Parallel.For(0, 200, i =>
            {
                // Each witness votes twice (duplicates must not count).
                var vote = new Vote(VotePhase.Commit, 1, 0, block, i % 100, default);
                if (aggregator.Add(vote) == VoteAggregator.AddResult.ReachedQuorum) Interlocked.Increment(ref winners);
            });
            Assert.Equal(1, winners);
            Assert.Equal(100, aggregator.Count);
        }
    }

    [Fact]
    public void A_second_vote_for_another_block_is_equivocation_and_does_not_count()
    {
        var aggregator = new VoteAggregator(4, 3);
        var a = new Hash32(new byte[32]);
        var b = new Hash32(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Equal(VoteAggregator.AddResult.Added, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Equivocation, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, b, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Duplicate, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 2, default)));
        Assert.Equal(VoteAggregator.AddResult.Rejected, aggregator.Add(new Vote(VotePhase.Prepare, 1, 0, a, 9, default)));
        Assert.Equal(1, aggregator.Count);
    }
}
