using System.Net.Sockets;
using MesFast.Crypto;
using MesFast.Network.Framing;
using MesFast.Network.Handshake;
using static MesFast.Network.Tests.TestNetworks;

namespace MesFast.Network.Tests;

/// <summary>Real TCP on 127.0.0.1: handshake, gossip, sync, bans, reconnects and peer exchange between PeerNetworks.</summary>
public class PeerNetworkTests
{
    [Fact]
    public async Task Handshake_BothSidesSeeEachOtherWithProvenKeys()
    {
        var ha = new TestHandler();
        var hb = new TestHandler();
        hb.Extend(3);
        await using var a = Start(Options(1), ha);
        await using var b = Start(Options(2, [Address(a)]), hb);
        await Eventually(() => a.PeerCount == 1 && b.PeerCount == 1, "a and b connected");
        Assert.Equal(b.NodeKey, a.Peers[0].NodeKey);
        Assert.Equal(a.NodeKey, b.Peers[0].NodeKey);
        Assert.True(b.Peers[0].Outbound);
        Assert.False(a.Peers[0].Outbound);
        Assert.Equal(Address(b), a.Peers[0].ListenAddress);
        await Eventually(() => a.Peers[0].TipHeight == 3, "b's tip known to a");
    }

    [Fact]
    public async Task Handshake_WrongChainOrGenesis_NoConnection()
    {
        await using var a = Start(Options(1), new TestHandler());
        await using var otherChain = Start(Options(2, [Address(a)], chainId: ChainId + 1), new TestHandler());
        await using var otherGenesis = Start(Options(3, [Address(a)], genesis: DomainHash.Compute(DomainHash.Header, "other"u8)), new TestHandler());
        await Task.Delay(1500);
        Assert.Equal(0, a.PeerCount);
        Assert.Equal(0, otherChain.PeerCount);
        Assert.Equal(0, otherGenesis.PeerCount);
    }

    [Fact]
    public async Task SelfDial_IsDetectedAndNotRepeated()
    {
        // The node's own address arrives as a seed under another spelling ("localhost"), so only the handshake can tell.
        var handler = new TestHandler();
        await using var probe = Start(Options(9), handler);
        int port = probe.ListenPort;
        await probe.DisposeAsync();
        await using var a = Start(Options(1, [$"localhost:{port}"], port: port), handler);
        await Task.Delay(1000);
        Assert.Equal(0, a.PeerCount);
    }

    [Fact]
    public async Task Gossip_TransactionCrossesALine_EachNodeHandlesItOnce()
    {
        var handlers = new TestHandler[4];
        var nets = new PeerNetwork[4];
        try
        {
            await StartLine(handlers, nets); // a-b-c-d, no peer exchange shortcuts
            byte[] tx = [1, 2, 3, 4, 5];
            nets[0].BroadcastTransaction(tx);
            await Eventually(() => handlers[3].Transactions.Count == 1, "tx reached the far end");
            await Task.Delay(300);
            Assert.Empty(handlers[0].Transactions); // the sender does not hand its own tx back to itself
            for (int i = 1; i < 4; i++) Assert.Single(handlers[i].Transactions);
            Assert.Equal(tx, handlers[3].Transactions.Single());
            // Past the first hop the tx travels by announcement and fetch.
            Assert.Equal(1, nets[2].FetchedTransactions);
            Assert.Equal(1, nets[3].FetchedTransactions);

            byte[] vote = [9, 9, 9];
            nets[3].BroadcastConsensus(vote);
            await Eventually(() => handlers[0].Consensus.Count == 1, "consensus message relayed back along the line");
        }
        finally
        {
            foreach (var n in nets) if (n is not null) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task Gossip_RelayAfterAdmission_AnnouncesTheIdTheTransactionCameWith()
    {
        // A line a-b-c; b relays as the node does, after admission, with the gossip id the network handed it.
        var handlers = new TestHandler[3];
        var nets = new PeerNetwork[3];
        try
        {
            await StartLine(handlers, nets);
            handlers[1].RelayLater = nets[1];
            byte[] tx = [5, 4, 3, 2, 1];
            nets[0].BroadcastTransaction(tx);
            await Eventually(() => handlers[2].Transactions.Count == 1, "tx reached the far end by announcement and fetch");
            Assert.Equal(1, nets[2].FetchedTransactions);
            // The fetched transaction matched the announced id, so c wants nothing more (a wrong id would stay wanted
            // until the 2 s fetch timeout).
            await Task.Delay(200);
            Assert.Equal(0, nets[2].WantedCount);
            Assert.Single(handlers[1].Transactions);
            Assert.Empty(handlers[0].Transactions); // b's announcement skipped a, where the transaction came from
        }
        finally
        {
            foreach (var n in nets) if (n is not null) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task Gossip_AcceptedToFollowers_SkipsWitnessPeers()
    {
        // A star around hub b: a (the source), c (a witness in b's eyes) and d (a follower).
        var handlers = new TestHandler[4];
        var nets = new PeerNetwork[4];
        try
        {
            foreach (int i in new[] { 1, 0, 2, 3 })
            {
                handlers[i] = new TestHandler { ConsensusVerdict = i == 1 ? PeerVerdict.AcceptedToFollowers : PeerVerdict.Accepted };
                // No peer exchange: the spokes must not meet each other.
                nets[i] = Start(FixedTopology(i + 1, i == 1 ? [] : [Address(nets[1])]), handlers[i]);
            }
            handlers[1].Witnesses[nets[2].NodeKey] = true;
            await Eventually(() => nets[1].PeerCount == 3 && nets[0].PeerCount == 1 && nets[2].PeerCount == 1 && nets[3].PeerCount == 1, "star formed");
            nets[0].BroadcastConsensus([7, 7, 7]);
            await Eventually(() => handlers[3].Consensus.Count == 1, "the follower got the relay");
            await Task.Delay(300);
            Assert.Single(handlers[1].Consensus);
            Assert.Empty(handlers[2].Consensus); // the witness is left to the source

            // The same hub relaying with a plain Accepted reaches the witness too.
            handlers[1].ConsensusVerdict = PeerVerdict.Accepted;
            nets[0].BroadcastConsensus([8, 8, 8]);
            await Eventually(() => handlers[2].Consensus.Count == 1 && handlers[3].Consensus.Count == 2, "relayed to all");
        }
        finally
        {
            foreach (var n in nets) if (n is not null) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task Gossip_FullMesh_RelaysAnnounceIdsInsteadOfResendingTransactions()
    {
        var handlers = new[] { new TestHandler(), new TestHandler(), new TestHandler() };
        await using var a = Start(Options(1), handlers[0]);
        await using var b = Start(Options(2, [Address(a)]), handlers[1]);
        await using var c = Start(Options(3, [Address(a), Address(b)]), handlers[2]);
        await Eventually(() => a.PeerCount == 2 && b.PeerCount == 2 && c.PeerCount == 2, "full mesh");
        var rng = new Random(7);
        const int count = 200;
        for (int i = 0; i < count; i++)
        {
            var tx = new byte[500];
            rng.NextBytes(tx);
            a.BroadcastTransaction(tx);
        }
        await Eventually(() => handlers[1].Transactions.Count == count && handlers[2].Transactions.Count == count, "every tx reached b and c");
        await Eventually(() => b.AnnouncedIds >= count && c.AnnouncedIds >= count, "b and c relayed by announcement");
        await Task.Delay(300);
        Assert.Equal(count, handlers[1].Transactions.Count); // each handled once
        Assert.Equal(count, handlers[2].Transactions.Count);
        // c got the 100 KB of transactions from a; from b only ids (and at most a few fetches if a push was late).
        long fromB = c.Peers.Single(p => p.NodeKey == b.NodeKey).BytesReceived;
        Assert.True(fromB < count * 500 / 2, $"c received {fromB} bytes from b");
    }

    [Fact]
    public async Task Announcements_OfUnservedIds_AreBoundedPerPeerAndExpire()
    {
        await using var a = Start(Options(1), new TestHandler());
        await using var b = Start(Options(2, [Address(a)]), new TestHandler());
        await Eventually(() => a.PeerCount == 1 && b.PeerCount == 1, "connected");
        // b announces 20,480 ids it cannot serve (well-formed frames: not a protocol violation by itself).
        var rng = new Random(11);
        var ids = new Hash32[Messages.PeerMessages.MaxTxIdsPerFrame];
        var bytes = new byte[32];
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                rng.NextBytes(bytes);
                ids[i] = new Hash32(bytes);
            }
            byte[] frame = FrameWriter.Encode(FrameType.TxAnnounce, Messages.PeerMessages.EncodeTxIds(ids));
            foreach (var connection in b.Connections) connection.TrySend(frame, mustDeliver: false);
        }
        await Eventually(() => a.WantedCount > 0, "announcements arrived");
        await Task.Delay(300);
        Assert.InRange(a.WantedCount, 1, PeerNetwork.MaxWantedPerPeer);
        // Each is fetched after 50 ms and forgotten 2 s after going unanswered: the slots come back.
        await Eventually(() => a.WantedCount == 0, "unanswered fetches forgotten");
        Assert.Equal(1, a.PeerCount);
    }

    [Fact]
    public async Task Sync_NodeBehindFetchesFinalBlocksInOrder()
    {
        var ahead = new TestHandler();
        ahead.Extend(300);
        var behind = new TestHandler();
        await using var a = Start(Options(1), ahead);
        await using var b = Start(Options(2, [Address(a)]), behind);
        await Eventually(() => behind.Height == 300, $"synced to 300 (at {behind.Height})");
        ahead.Extend(5);
        await Eventually(() => behind.Height == 305, "follows new blocks");
        Assert.True(behind.TryGetFinalBlock(123, out byte[] block, out _));
        Assert.Equal(TestHandler.MakeBlock(123), block);
    }

    [Fact]
    public async Task Sync_OneBlockBehind_WaitsForTheGraceBeforeFetching()
    {
        var ahead = new TestHandler();
        var behind = new TestHandler();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var a = Start(Options(1), ahead);
        await using var b = Start(Options(2, [Address(a)], syncGrace: TimeSpan.FromSeconds(4)), behind);
        await Eventually(() => a.PeerCount == 1 && b.PeerCount == 1, "connected");
        ahead.Extend(1); // a's status (every 200 ms) shows b one block behind
        await Task.Delay(1_000);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3.5), "the host was too slow for this timing");
        Assert.Equal(0UL, behind.Height); // within the grace: the block is not fetched
        await Eventually(() => behind.Height == 1, "fetched once the local tip stood still for the grace");

        ahead.Extend(2); // two behind: fetched at once, no grace
        await Eventually(() => behind.Height == 3, "two blocks behind", timeoutMs: 2_000);
    }

    [Fact]
    public async Task FinalBlockGossip_ReachesFullNode()
    {
        var producer = new TestHandler();
        var follower = new TestHandler();
        await using var a = Start(Options(1), producer);
        await using var b = Start(Options(2, [Address(a)]), follower);
        await Eventually(() => a.PeerCount == 1, "connected");
        producer.Extend(1);
        Assert.True(producer.TryGetFinalBlock(1, out byte[] block, out byte[] cert));
        a.BroadcastFinalBlock(block, cert);
        await Eventually(() => follower.Height == 1, "block announced");
    }

    [Fact]
    public async Task FinalBlockAnnouncement_SkipsPeersThatHoldTheBlock()
    {
        var producer = new TestHandler();
        var witness = new TestHandler();
        await using var a = Start(Options(1), producer);
        await using var b = Start(Options(2, [Address(a)]), witness);
        await Eventually(() => a.PeerCount == 1 && b.PeerCount == 1, "connected");
        producer.Extend(1);
        witness.Extend(1); // b executed and signed the block: it is at the same height, nothing to sync
        Assert.True(producer.TryGetFinalBlock(1, out byte[] block, out byte[] cert));

        a.BroadcastFinalBlock(block, cert, [b.NodeKey]);
        await Task.Delay(300);
        Assert.Equal(0, witness.FinalBlockCalls);

        // The same announcement without b among the holders reaches it.
        a.BroadcastFinalBlock(block, cert, [a.NodeKey]);
        await Eventually(() => witness.FinalBlockCalls == 1, "announced to a peer that is not a holder");
    }

    [Fact]
    public async Task MaliciousData_PeerIsDroppedAndBanned_NodeKeepsRunning()
    {
        var victim = new TestHandler { TransactionVerdict = PeerVerdict.Malicious };
        await using var a = Start(Options(1), victim);
        await using var b = Start(Options(2, [Address(a)]), new TestHandler());
        await Eventually(() => a.PeerCount == 1, "connected");
        b.BroadcastTransaction([0xde, 0xad]);
        await Eventually(() => a.PeerCount == 0 && b.PeerCount == 0, "offender dropped");
        Assert.True(a.IsBanned(b.NodeKey));
        await Task.Delay(1500); // b redials with back-off; a refuses it while banned
        Assert.Equal(0, a.PeerCount);

        // Other peers are unaffected.
        await using var c = Start(Options(3, [Address(a)]), new TestHandler());
        await Eventually(() => c.PeerCount == 1, "an honest peer still connects");
    }

    [Fact]
    public async Task GarbageFromARawSocket_IsDropped_BeforeAndAfterHandshake()
    {
        var handler = new TestHandler();
        await using var a = Start(Options(1), handler);

        // Before the handshake: an HTTP request.
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync("127.0.0.1", a.ListenPort);
            await raw.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buf = new byte[4096];
            int total = 0, n;
            using var cts = new CancellationTokenSource(5000);
            while ((n = await raw.GetStream().ReadAsync(buf, cts.Token)) > 0) total += n; // a's Hello, then close
            Assert.True(total > 0);
        }

        // After a valid handshake: an undefined frame type.
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync("127.0.0.1", a.ListenPort);
            NetworkStream stream = raw.GetStream();
            await RawHandshake(stream, a);
            await Eventually(() => a.PeerCount == 1, "raw client accepted");
            await stream.WriteAsync(new byte[] { 3, 0, 0, 0, 0x7e, 0, 0 });
            await Eventually(() => a.PeerCount == 0, "raw client dropped");
        }
        await using var b = Start(Options(2, [Address(a)]), new TestHandler());
        await Eventually(() => b.PeerCount == 1, "node still serves honest peers");
    }

    /// <summary>Plays the client side of the handshake by hand (node key 42).</summary>
    private static async Task RawHandshake(NetworkStream stream, PeerNetwork server)
    {
        byte[] seed = Seed(42);
        var pk = new byte[32];
        Ed25519.PublicKeyFromSeed(seed, pk);
        var key = new Hash32(pk);
        var nonce = new Hash32(new byte[32]);
        await stream.WriteAsync(FrameWriter.Encode(FrameType.Hello, new HelloMessage(ChainId, Genesis, key, nonce, 0, 0).Encode()));
        byte[] hello = await ReadFrame(stream);
        Assert.True(HelloMessage.TryDecode(hello, out HelloMessage? remote, out _));
        Assert.Equal(server.NodeKey, remote!.NodeKey);
        Hash32 message = HandshakeProof.Message(remote.Nonce, ChainId, Genesis, key, remote.NodeKey);
        await stream.WriteAsync(FrameWriter.Encode(FrameType.Auth, HandshakeProof.Sign(seed, message)));
        _ = await ReadFrame(stream); // server's Auth
    }

    private static async Task<byte[]> ReadFrame(NetworkStream stream)
    {
        var header = new byte[FrameLimits.HeaderSize];
        await stream.ReadExactlyAsync(header);
        int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header) - 2;
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload);
        return payload;
    }

    [Fact]
    public async Task Reconnect_WithBackoff_WhenThePeerComesUpLater()
    {
        var probe = Start(Options(9), new TestHandler());
        int port = probe.ListenPort;
        await probe.DisposeAsync();
        await using var a = Start(Options(1, [$"127.0.0.1:{port}"]), new TestHandler());
        await Task.Delay(700); // several failed dials
        Assert.Equal(0, a.PeerCount);
        await using var b = Start(Options(2, port: port), new TestHandler());
        await Eventually(() => a.PeerCount == 1, "connected once the peer is up");

        // The peer restarts: a reconnects.
        await b.DisposeAsync();
        await Eventually(() => a.PeerCount == 0, "peer gone");
        await using var b2 = Start(Options(2, port: port), new TestHandler());
        await Eventually(() => a.PeerCount == 1, "reconnected after restart");
    }

    [Fact]
    public async Task PeerExchange_NodesFindEachOtherThroughACommonSeed()
    {
        await using var hub = Start(Options(1), new TestHandler());
        await using var x = Start(Options(2, [Address(hub)]), new TestHandler());
        await using var y = Start(Options(3, [Address(hub)]), new TestHandler());
        await Eventually(() => x.Peers.Any(p => p.NodeKey == y.NodeKey), "x learned y's address from the hub and connected");
    }

    [Fact]
    public async Task DuplicateConnections_AreCollapsedToOne()
    {
        // Both dial each other at once: one connection per node key survives.
        var probeA = Start(Options(8), new TestHandler());
        var probeB = Start(Options(9), new TestHandler());
        int pa = probeA.ListenPort, pb = probeB.ListenPort;
        await probeA.DisposeAsync();
        await probeB.DisposeAsync();
        await using var a = Start(Options(1, [$"127.0.0.1:{pb}"], port: pa), new TestHandler());
        await using var b = Start(Options(2, [$"127.0.0.1:{pa}"], port: pb), new TestHandler());
        await Eventually(() => a.PeerCount == 1 && b.PeerCount == 1, "connected");
        await Task.Delay(1000);
        Assert.Equal(1, a.PeerCount);
        Assert.Equal(1, b.PeerCount);
    }
}
