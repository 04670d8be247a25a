using MesFast.Core.Consensus;

namespace MesFast.Core.Tests.Consensus;

/// <summary>Bad input never throws out of the engine: mutated real consensus traffic, decoded and delivered.</summary>
public sealed class EngineFuzzTests
{
    private static readonly SpbftOptions Options = new() { BaseTimeoutMs = 1_000, MaxTimeoutMs = 8_000 };

    [Fact]
    public void Mutated_consensus_traffic_never_throws_out_of_the_engine()
    {
        int seed = TestSeeds.Get(5001);
        var random = new Random(seed);
        var traffic = RecordTraffic();
        Assert.Contains(traffic, m => m[0] == ConsensusCodec.NewViewTag);
        Assert.Contains(traffic, m => m[0] == ConsensusCodec.ViewChangeTag);

        var victims = new TestNet(4, Options);
        int delivered = 0;
        for (int n = 0; n < 3_000; n++)
        {
            byte[] mutated = MutationFuzzTests.Mutate(traffic[random.Next(traffic.Count)], random);
            if (!ConsensusCodec.TryDecode(mutated, out var message, out _)) continue;
            delivered++;
            var engine = victims.Engines[random.Next(4)];
            try
            {
                engine.OnMessage(message);
                if (n % 50 == 0) engine.OnTick(n * 10);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} mutation {n} threw {e}; input {Convert.ToHexString(mutated)}");
            }
            victims.Bus.Clear();
        }
        Assert.True(delivered > 500, $"only {delivered} mutations decoded");
    }

    /// <summary>Two heights of real traffic; the proposer of height 1 is silent so views change.</summary>
    private static List<byte[]> RecordTraffic()
    {
        var net = new TestNet(4, Options);
        var traffic = new List<byte[]>();
        for (long now = 0; now <= 4_000; now += 100)
        {
            net.Tick(now);
            while (net.Bus.Count > 0)
            {
                var (from, message) = net.Bus.Dequeue();
                traffic.Add(ConsensusCodec.Encode(message));
                if (from == 1 && message.Height == 1) continue;
                for (int to = 0; to < net.N; to++)
                    if (to != from) net.Engines[to].OnMessage(message);
            }
        }
        return traffic;
    }
}
