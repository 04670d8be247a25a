using System.Collections.Concurrent;
using MesFast.Crypto;

namespace MesFast.Network.Tests;

/// <summary>A node stand-in: counts what arrives, serves a chain of fake final blocks, returns configurable verdicts.</summary>
internal sealed class TestHandler : INetworkHandler
{
    private readonly object _gate = new();
    private readonly List<(byte[] Block, byte[] Cert)> _chain = [];

    public ConcurrentQueue<byte[]> Transactions { get; } = new();
    public ConcurrentQueue<byte[]> Consensus { get; } = new();
    public PeerVerdict TransactionVerdict { get; set; } = PeerVerdict.Accepted;

    private int _finalBlockCalls;

    /// <summary>Final blocks handed to this node (gossip and sync), including ones it already had.</summary>
    public int FinalBlockCalls => Volatile.Read(ref _finalBlockCalls);

    public (ulong Height, Hash32 Hash) FinalizedTip
    {
        get
        {
            lock (_gate) return ((ulong)_chain.Count, _chain.Count == 0 ? default : DomainHash.Compute(DomainHash.Header, _chain[^1].Block));
        }
    }

    public ulong Height => FinalizedTip.Height;

    /// <summary>Appends fake blocks: block h is "block-h" padded, certificate "cert-h".</summary>
    public void Extend(int count)
    {
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                int h = _chain.Count + 1;
                _chain.Add((MakeBlock(h), System.Text.Encoding.ASCII.GetBytes($"cert-{h}")));
            }
        }
    }

    public static byte[] MakeBlock(int height)
    {
        var block = new byte[300 + (height % 50)];
        System.Text.Encoding.ASCII.GetBytes($"block-{height}").CopyTo(block, 0);
        return block;
    }

    /// <summary>
    /// When set, transactions are answered Ignored and relayed later through this network with the gossip id they
    /// came with, from another thread: what the node does once its mempool admits them.
    /// </summary>
    public PeerNetwork? RelayLater { get; set; }

    public PeerVerdict OnTransaction(PeerInfo peer, ReadOnlySpan<byte> transaction, in Hash32 gossipId)
    {
        byte[] copy = transaction.ToArray();
        Transactions.Enqueue(copy);
        if (RelayLater is not { } network) return TransactionVerdict;
        Hash32 id = gossipId;
        ThreadPool.QueueUserWorkItem(_ => network.RelayTransaction(copy, peer, id));
        return PeerVerdict.Ignored;
    }

    /// <summary>What <see cref="OnConsensus"/> answers.</summary>
    public PeerVerdict ConsensusVerdict { get; set; } = PeerVerdict.Accepted;

    /// <summary>Node keys <see cref="IsCurrentWitness"/> calls witnesses.</summary>
    public ConcurrentDictionary<Hash32, bool> Witnesses { get; } = new();

    public bool IsCurrentWitness(in Hash32 nodeKey) => Witnesses.ContainsKey(nodeKey);

    public PeerVerdict OnConsensus(PeerInfo peer, ReadOnlySpan<byte> message)
    {
        Consensus.Enqueue(message.ToArray());
        return ConsensusVerdict;
    }

    public PeerVerdict OnFinalBlock(PeerInfo peer, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate)
    {
        Interlocked.Increment(ref _finalBlockCalls);
        lock (_gate)
        {
            int h = _chain.Count + 1;
            if (!block.SequenceEqual(MakeBlock(h)))
            {
                // Old or future blocks are not an offence; a wrong block at the next height is.
                for (int k = 1; k <= _chain.Count; k++) if (block.SequenceEqual(_chain[k - 1].Block)) return PeerVerdict.Ignored;
                return System.Text.Encoding.ASCII.GetString(block[..6]) == "block-" ? PeerVerdict.Ignored : PeerVerdict.Malicious;
            }
            if (!certificate.SequenceEqual(System.Text.Encoding.ASCII.GetBytes($"cert-{h}"))) return PeerVerdict.Malicious;
            _chain.Add((block.ToArray(), certificate.ToArray()));
            return PeerVerdict.Accepted;
        }
    }

    public bool TryGetFinalBlock(ulong height, out byte[] block, out byte[] certificate)
    {
        lock (_gate)
        {
            if (height == 0 || height > (ulong)_chain.Count)
            {
                block = [];
                certificate = [];
                return false;
            }
            (block, certificate) = _chain[(int)height - 1];
            return true;
        }
    }
}
