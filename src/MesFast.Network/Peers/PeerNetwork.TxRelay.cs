using System.Collections.Concurrent;
using System.Diagnostics;
using MesFast.Crypto;
using MesFast.Network.Framing;
using MesFast.Network.Messages;

namespace MesFast.Network;

/// <summary>
/// Relay of transactions by announcement (PROTOCOL §9.3). The node where a transaction enters pushes it whole to
/// every peer; a node that admits one from a peer only announces its gossip id to its other peers, and a peer
/// that has not seen it after a short wait (the origin's push usually lands first) fetches it from the announcer.
/// Pushing relays whole made every node receive every transaction once per peer — in a full mesh of n witnesses,
/// n−1 copies, each decompressed, hashed and dropped — while an id costs 32 bytes and a set lookup.
/// </summary>
public sealed partial class PeerNetwork
{
    /// <summary>An announced transaction not seen after this long is fetched from its announcer.</summary>
    private static readonly long FetchDelayTicks = Stopwatch.Frequency / 20;

    /// <summary>A fetch not answered within this long is forgotten (a later announcement asks again).</summary>
    private static readonly long FetchTimeoutTicks = Stopwatch.Frequency * 2;

    /// <summary>Transactions kept to answer fetches: a few seconds of traffic at 10,000 tx/s.</summary>
    private const int RelayCacheCapacity = 65_536;

    /// <summary>Most announced-but-unseen ids tracked at once (announcements beyond it are ignored).</summary>
    private const int MaxWanted = 65_536;

    /// <summary>
    /// Most of those one peer may have announced: a peer announcing ids it never serves holds at most this many
    /// entries (each until its fetch times out), so it cannot crowd out other peers' announcements.
    /// </summary>
    internal const int MaxWantedPerPeer = 8_192;

    /// <summary>Announced ids this node still lacks (waiting for a push, or fetched and not yet answered).</summary>
    internal int WantedCount => _wanted.Count;

    // Plain collections under one lock: a concurrent dictionary allocated a node per transaction, each kept for
    // seconds (promoted through the GC generations) — the lock is held for one lookup or one insert.
    private readonly Dictionary<Hash32, byte[]> _relayCache = new(RelayCacheCapacity);
    private readonly Queue<Hash32> _relayOrder = new(RelayCacheCapacity);
    private readonly Lock _relayGate = new();
    private readonly ConcurrentQueue<(Hash32 Id, PeerInfo? Source)> _announceOutbox = new();
    private readonly ConcurrentDictionary<Hash32, WantedTransaction> _wanted = new();
    private int _announcing;

    /// <summary>An announced transaction this node lacks: who announced it first, since when, and when it was asked for.</summary>
    private sealed class WantedTransaction(PeerConnection announcer, long since)
    {
        public PeerConnection Announcer { get; } = announcer;
        public long Since { get; } = since;
        public long RequestedAt { get; set; }
    }

    /// <summary>Transactions relayed by announcement so far (ids sent, all peers).</summary>
    public long AnnouncedIds => Interlocked.Read(ref _announcedIds);

    /// <summary>Transactions this node fetched after an announcement.</summary>
    public long FetchedTransactions => Interlocked.Read(ref _fetched);

    private long _announcedIds;
    private long _fetched;

    /// <summary>
    /// Relays a transaction the node admitted after <paramref name="source"/> sent it: its id is announced to the
    /// other peers, which fetch it if they lack it. The array is kept to answer fetches, not copied: the caller
    /// hands it over (the mempool's transaction arrays never change). <paramref name="gossipId"/> is the id
    /// <see cref="INetworkHandler.OnTransaction"/> was given for it (hashing it again cost 3 % of admission's CPU).
    /// </summary>
    public void RelayTransaction(byte[] transaction, PeerInfo? source, in Hash32 gossipId)
    {
        Seen.Add(gossipId);
        Announce(gossipId, transaction, source);
    }

    private void Announce(in Hash32 id, byte[] transaction, PeerInfo? source)
    {
        Remember(id, transaction);
        _announceOutbox.Enqueue((id, source));
    }

    /// <summary>Keeps a transaction for answering GetTransactions; the oldest leave first.</summary>
    private void Remember(in Hash32 id, byte[] transaction)
    {
        lock (_relayGate)
        {
            if (!_relayCache.TryAdd(id, transaction)) return;
            _relayOrder.Enqueue(id);
            if (_relayOrder.Count > RelayCacheCapacity) _relayCache.Remove(_relayOrder.Dequeue());
        }
    }

    /// <summary>Sends queued announcements (each peer gets the ids it did not send us) and fetches what is still missing.</summary>
    private void FlushAnnouncements()
    {
        if (Interlocked.Exchange(ref _announcing, 1) != 0) return;
        try
        {
            if (!_announceOutbox.IsEmpty) SendAnnouncements();
            if (!_wanted.IsEmpty) FetchWanted();
        }
        finally
        {
            Volatile.Write(ref _announcing, 0);
        }
    }

    private void SendAnnouncements()
    {
        var items = new List<(Hash32 Id, PeerInfo? Source)>();
        while (_announceOutbox.TryDequeue(out var item)) items.Add(item);
        var ids = new Hash32[Math.Min(items.Count, PeerMessages.MaxTxIdsPerFrame)];
        foreach (PeerConnection peer in _established)
        {
            PeerInfo? info = peer.Info;
            int n = 0;
            foreach (var (id, source) in items)
            {
                if (ReferenceEquals(source, info)) continue;
                ids[n++] = id;
                if (n == ids.Length)
                {
                    SendIds(peer, FrameType.TxAnnounce, ids.AsSpan(0, n));
                    n = 0;
                }
            }
            if (n > 0) SendIds(peer, FrameType.TxAnnounce, ids.AsSpan(0, n));
        }
    }

    private void SendIds(PeerConnection peer, FrameType type, ReadOnlySpan<Hash32> ids)
    {
        if (type == FrameType.TxAnnounce) Interlocked.Add(ref _announcedIds, ids.Length);
        peer.TrySend(FrameWriter.Encode(type, PeerMessages.EncodeTxIds(ids)), mustDeliver: false);
    }

    private void FetchWanted()
    {
        long now = Stopwatch.GetTimestamp();
        Dictionary<PeerConnection, List<Hash32>>? requests = null;
        foreach (var (id, want) in _wanted)
        {
            if (Seen.Contains(id) || want.Announcer.IsClosed || (want.RequestedAt != 0 && now - want.RequestedAt > FetchTimeoutTicks))
            {
                Forget(id);
                continue;
            }
            if (want.RequestedAt != 0 || now - want.Since < FetchDelayTicks) continue;
            want.RequestedAt = now;
            requests ??= [];
            if (!requests.TryGetValue(want.Announcer, out var list)) requests[want.Announcer] = list = [];
            list.Add(id);
        }
        if (requests is null) return;
        foreach (var (peer, list) in requests)
        {
            for (int start = 0; start < list.Count; start += PeerMessages.MaxTxIdsPerFrame)
                SendIds(peer, FrameType.GetTransactions, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)
                    .Slice(start, Math.Min(PeerMessages.MaxTxIdsPerFrame, list.Count - start)));
        }
    }

    /// <summary>A peer announces transaction ids: remember the ones this node has not seen, to fetch them if no push arrives.</summary>
    private void ReceiveAnnouncement(PeerConnection connection, ReadOnlySpan<byte> payload)
    {
        var ids = new List<Hash32>();
        if (!PeerMessages.TryDecodeTxIds(payload, ids))
        {
            Penalize(connection, Options.BanThreshold, "malformed tx-announce");
            return;
        }
        long now = Stopwatch.GetTimestamp();
        foreach (Hash32 id in ids)
        {
            if (Seen.Contains(id)) continue;
            if (_wanted.Count >= MaxWanted || Volatile.Read(ref connection.WantedFromPeer) >= MaxWantedPerPeer) break;
            if (_wanted.TryAdd(id, new WantedTransaction(connection, now))) Interlocked.Increment(ref connection.WantedFromPeer);
        }
    }

    /// <summary>A peer fetches announced transactions: answer with the ones still kept, in Transactions frames.</summary>
    private void ServeTransactions(PeerConnection connection, ReadOnlySpan<byte> payload)
    {
        var ids = new List<Hash32>();
        if (!PeerMessages.TryDecodeTxIds(payload, ids))
        {
            Penalize(connection, Options.BanThreshold, "malformed get-transactions");
            return;
        }
        var batch = new List<byte[]>();
        int bytes = 5;
        foreach (Hash32 id in ids)
        {
            byte[]? tx;
            lock (_relayGate)
            {
                if (!_relayCache.TryGetValue(id, out tx)) continue;
            }
            if (batch.Count == TxBatchMaxCount || bytes + tx.Length + 5 > TxBatchMaxBytes)
            {
                connection.TrySend(FrameWriter.Encode(FrameType.Transactions, PeerMessages.EncodeTransactions(batch)), mustDeliver: false);
                batch.Clear();
                bytes = 5;
            }
            batch.Add(tx);
            bytes += tx.Length + 5;
        }
        if (batch.Count > 0) connection.TrySend(FrameWriter.Encode(FrameType.Transactions, PeerMessages.EncodeTransactions(batch)), mustDeliver: false);
    }

    /// <summary>Called for each transaction taken from a Transactions frame: a fetched one is no longer wanted.</summary>
    private void OnTransactionArrived(in Hash32 id)
    {
        if (!_wanted.IsEmpty && Forget(id) is { RequestedAt: not 0 }) Interlocked.Increment(ref _fetched);
    }

    /// <summary>Drops a wanted id and gives its announcer back the slot (<see cref="MaxWantedPerPeer"/>).</summary>
    private WantedTransaction? Forget(in Hash32 id)
    {
        if (!_wanted.TryRemove(id, out var want)) return null;
        Interlocked.Decrement(ref want.Announcer.WantedFromPeer);
        return want;
    }
}
