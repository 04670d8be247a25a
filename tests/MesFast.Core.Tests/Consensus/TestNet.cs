using System.Buffers.Binary;
using MesFast.Core.Codec;
using MesFast.Core.Consensus;
using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Core.Tests.Consensus;

/// <summary>
/// N witnesses on a queue: blocks are fake header-sized encodings (height, view and proposer at their header
/// offsets), votes and view-change messages signed for real with Ed25519.
/// </summary>
internal sealed class TestNet
{
    private readonly byte[][] _seeds;
    private readonly byte[][] _publicKeys;

    public TestNet(int n, SpbftOptions? options = null)
    {
        _seeds = new byte[n][];
        _publicKeys = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            _seeds[i] = new byte[32];
            _publicKeys[i] = new byte[32];
            CryptoEd25519.GenerateKey(_seeds[i], _publicKeys[i]);
        }
        Hosts = new Host[n];
        Engines = new SpbftEngine[n];
        for (int i = 0; i < n; i++)
        {
            Hosts[i] = new Host(this, i);
            Engines[i] = new SpbftEngine(Hosts[i], 1, options);
        }
    }

    public Host[] Hosts { get; }

    public SpbftEngine[] Engines { get; }

    public Queue<(int From, ConsensusMessage Message)> Bus { get; } = new();

    public int N => Hosts.Length;

    public void Tick(long nowMs)
    {
        foreach (var engine in Engines) engine.OnTick(nowMs);
    }

    /// <summary>Delivers everything queued (and whatever that causes) in FIFO order; <paramref name="drop"/> filters (from, to, message).</summary>
    public void Deliver(Func<int, int, ConsensusMessage, bool>? drop = null)
    {
        while (Bus.Count > 0)
        {
            var (from, message) = Bus.Dequeue();
            for (int to = 0; to < N; to++)
                if (to != from && (drop is null || !drop(from, to, message))) Engines[to].OnMessage(message);
        }
    }

    public Signature64 SignAs(int witness, in Hash32 message)
    {
        var signature = new byte[64];
        CryptoEd25519.Sign(_seeds[witness], message.Span, signature);
        return new Signature64(signature);
    }

    public static byte[] MakeBlock(ulong height, uint view, int proposer, byte salt = 0)
    {
        var block = new byte[HeaderView.EncodedSize];
        block[0] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(5), height);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(25), view);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(157), (ushort)proposer);
        block[100] = salt;
        return block;
    }

    public static Hash32 HashOf(byte[] block) => DomainHash.Compute(DomainHash.Header, block.AsSpan(0, HeaderView.EncodedSize));

    /// <summary>A signed ViewChange of <paramref name="witness"/> without a prepared certificate.</summary>
    public ViewChangeMessage ViewChange(int witness, ulong height, uint newView, CommitCertificate? prepared = null, byte[]? block = null) =>
        new(height, newView, witness, prepared, block, SignAs(witness, ViewChangeSigning.ViewChange(9, height, newView, prepared)));

    public NewViewMessage NewView(int proposer, ulong height, uint view, ViewChangeMessage[] changes, byte[] block) =>
        new(height, view, proposer, changes, block, SignAs(proposer, ViewChangeSigning.NewView(9, height, view, proposer, HashOf(block), changes)));

    internal sealed class Host(TestNet net, int self) : IConsensusHost
    {
        public int Self { get; } = self;

        public List<(ulong Height, Hash32 Hash, CommitCertificate Cert, int[] Missed)> Final { get; } = [];

        public List<Hash32> Abandoned { get; } = [];

        /// <summary>The engine's <see cref="SpbftEngine.LastBlockHolders"/> at each finalisation.</summary>
        public List<int[]> Holders { get; } = [];

        public int Built { get; private set; }

        public uint ChainId => 9;

        public int WitnessCount(ulong height) => net.N;

        public int SelfIndex(ulong height) => Self;

        public int Proposer(ulong height, uint view) => (int)((height + view) % (ulong)net.N);

        public byte[]? BuildProposal(ulong height, uint view, long nowMs)
        {
            Built++;
            return MakeBlock(height, view, Self, (byte)Self);
        }

        public bool ExecuteProposal(ulong height, uint view, byte[] block, out Hash32 blockHash)
        {
            blockHash = HashOf(block);
            return BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(5)) == height
                && BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(157)) == Proposer(height, view);
        }

        public void AbandonProposal(ulong height, in Hash32 blockHash) => Abandoned.Add(blockHash);

        public Signature64 Sign(in Hash32 message) => net.SignAs(Self, message);

        public bool VerifyVote(ulong height, int witness, in Hash32 message, in Signature64 signature)
        {
            SingleVerifications++;
            return (uint)witness < (uint)net.N && CryptoEd25519.Verify(net._publicKeys[witness], message.Span, signature.Span);
        }

        /// <summary>Vote signatures checked one at a time (<see cref="VerifyVote"/>), batches excluded.</summary>
        public int SingleVerifications { get; private set; }

        /// <summary>Sizes of the batches the engine asked for (<see cref="VerifyVotes"/>).</summary>
        public List<int> Batches { get; } = [];

        public void VerifyVotes(ReadOnlySpan<VoteCheck> checks, Span<bool> valid)
        {
            Batches.Add(checks.Length);
            for (int i = 0; i < checks.Length; i++)
                valid[i] = (uint)checks[i].Witness < (uint)net.N
                    && CryptoEd25519.Verify(net._publicKeys[checks[i].Witness], checks[i].Message.Span, checks[i].Signature.Span);
        }

        public void Broadcast(ConsensusMessage message) => net.Bus.Enqueue((Self, message));

        public void Finalized(ulong height, byte[] block, in Hash32 blockHash, CommitCertificate certificate)
        {
            Final.Add((height, blockHash, certificate, [.. net.Engines[Self].LastMissedProposers]));
            Holders.Add([.. net.Engines[Self].LastBlockHolders]);
        }

        /// <summary>Views this node abandoned on timeout, as reported.</summary>
        public List<ViewTimeout> TimedOut { get; } = [];

        public void ViewTimedOut(ViewTimeout timeout) => TimedOut.Add(timeout);
    }
}
