using MesFast.Crypto;

namespace MesFast.Network;

/// <summary>What the node says about data a peer sent; it moves the peer's ban score.</summary>
public enum PeerVerdict : byte
{
    /// <summary>New and valid: relayed to the other peers where the frame type gossips.</summary>
    Accepted,
    /// <summary>
    /// New and valid, and every witness gets it without this node's relay (a proposal from its own proposer, a final
    /// block): relayed only to peers that are not witnesses (<see cref="INetworkHandler.IsCurrentWitness"/>).
    /// </summary>
    AcceptedToFollowers,
    /// <summary>Already known or no longer relevant (e.g. a spent input raced): not relayed, no penalty.</summary>
    Ignored,
    /// <summary>Invalid data an honest peer could still have relayed by mistake: a small penalty.</summary>
    Invalid,
    /// <summary>Data no honest peer sends (bad signature, undecodable): the peer is dropped and banned.</summary>
    Malicious,
}

/// <summary>
/// The node's side of the network. Called on network threads, concurrently for different peers; spans are only
/// valid during the call (copy what is kept).
/// </summary>
public interface INetworkHandler
{
    /// <summary>The node's newest final block (height 0 = genesis).</summary>
    (ulong Height, Hash32 Hash) FinalizedTip { get; }

    /// <param name="gossipId">the transaction's gossip id, already computed (pass it back to <see cref="PeerNetwork.RelayTransaction"/>).</param>
    PeerVerdict OnTransaction(PeerInfo peer, ReadOnlySpan<byte> transaction, in Hash32 gossipId);

    PeerVerdict OnConsensus(PeerInfo peer, ReadOnlySpan<byte> message);

    /// <summary>A final block with its commit certificate, from gossip or sync; heights above tip + 1 may be <see cref="PeerVerdict.Ignored"/>.</summary>
    PeerVerdict OnFinalBlock(PeerInfo peer, ReadOnlySpan<byte> block, ReadOnlySpan<byte> certificate);

    /// <summary>Whether the peer with this node key is a witness of the height being decided.</summary>
    bool IsCurrentWitness(in Hash32 nodeKey);

    /// <summary>Serves sync: the final block at <paramref name="height"/> and its commit certificate.</summary>
    bool TryGetFinalBlock(ulong height, out byte[] block, out byte[] certificate);
}
