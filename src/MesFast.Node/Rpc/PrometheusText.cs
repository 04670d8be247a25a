using System.Globalization;
using System.Text;
using MesFast.Network;
using MesFast.Node.Chain;

namespace MesFast.Node.Rpc;

/// <summary>The node's metrics in the Prometheus text exposition format.</summary>
internal static class PrometheusText
{
    public static string Render(ChainService chain)
    {
        var text = new StringBuilder();
        Gauge(text, "mes_height", "Height of the newest final block.", chain.FinalHeight);
        Gauge(text, "mes_tx_per_second", "Final transactions per second over the last 10 s.", chain.TxPerSecond);
        Gauge(text, "mes_mempool_txs", "Transactions waiting in the mempool.", chain.Mempool.Count);
        Gauge(text, "mes_mempool_bytes", "Bytes held by the mempool.", chain.Mempool.Bytes);
        Gauge(text, "mes_admission_queue", "Submissions waiting for admission to the mempool.", chain.Mempool.QueueDepth);
        Counter(text, "mes_block_signatures_verified_total", "Signatures verified during block application (of transactions not admitted here beforehand).", chain.Ledger.BlockSignaturesVerified);
        Gauge(text, "mes_proposal_tx_limit", "Most transactions this node puts in a proposal now (by its measured apply cost).", chain.ProposalTxLimit);
        Gauge(text, "mes_apply_ms_per_tx", "Measured block application cost per transaction (moving average).", chain.ApplyMsPerTx);
        Gauge(text, "mes_block_log_disk_bytes", "Bytes of the block log on disk.", chain.Blocks.DiskBytes);
        text.Append("# HELP mes_shard_records Live records in an SSA shard store.\n# TYPE mes_shard_records gauge\n");
        for (int s = 0; s < chain.Ledger.ShardCount; s++)
            text.Append(CultureInfo.InvariantCulture, $"mes_shard_records{{shard=\"{s}\"}} {chain.Ledger.ShardRecordCount(s)}\n");
        text.Append("# HELP mes_shard_disk_bytes Bytes of an SSA shard store on disk.\n# TYPE mes_shard_disk_bytes gauge\n");
        for (int s = 0; s < chain.Ledger.ShardCount; s++)
            text.Append(CultureInfo.InvariantCulture, $"mes_shard_disk_bytes{{shard=\"{s}\"}} {chain.Ledger.ShardDiskBytes(s)}\n");
        text.Append("# HELP mes_mempool_refused_total Submissions the mempool refused, by code (busy: the admission queue was full).\n# TYPE mes_mempool_refused_total counter\n");
        foreach (var (code, count) in chain.Mempool.Refusals)
            text.Append(CultureInfo.InvariantCulture, $"mes_mempool_refused_total{{code=\"{code}\"}} {count}\n");
        if (chain.Network is { } network) Network(text, network);
        Runtime(text);
        return text.ToString();
    }

    /// <summary>Gossip figures: dropped frames mean a peer's send queue was full (transactions then reach it only by fetch).</summary>
    private static void Network(StringBuilder text, PeerNetwork network)
    {
        long dropped = 0;
        foreach (PeerInfo peer in network.Peers) dropped += peer.Dropped;
        Gauge(text, "mes_p2p_peers", "Connected, authenticated peers.", network.PeerCount);
        // A gauge, not a counter: it sums the peers connected now, so it falls when one disconnects.
        Gauge(text, "mes_p2p_frames_dropped", "Frames not queued because a peer's send queue was full, summed over the peers connected now.", dropped);
        Counter(text, "mes_p2p_tx_announced_total", "Transaction ids announced to peers.", network.AnnouncedIds);
        Counter(text, "mes_p2p_tx_fetched_total", "Transactions fetched from a peer after its announcement.", network.FetchedTransactions);
    }

    /// <summary>The .NET runtime's own figures: an operator sizing a node (and we, profiling one) needs GC cost beside the chain's.</summary>
    private static void Runtime(StringBuilder text)
    {
        text.Append("# HELP mes_gc_collections_total Garbage collections of a generation (a gen-2 count includes background ones).\n# TYPE mes_gc_collections_total counter\n");
        for (int g = 0; g <= GC.MaxGeneration; g++)
            text.Append(CultureInfo.InvariantCulture, $"mes_gc_collections_total{{generation=\"{g}\"}} {GC.CollectionCount(g)}\n");
        Counter(text, "mes_gc_pause_seconds_total", "Time the runtime paused managed threads for garbage collection.", GC.GetTotalPauseDuration().TotalSeconds);
        Counter(text, "mes_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.", GC.GetTotalAllocatedBytes());
        Gauge(text, "mes_gc_heap_bytes", "Managed heap size after the last garbage collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        Gauge(text, "mes_process_working_set_bytes", "Resident memory of the node process.", Environment.WorkingSet);
    }

    private static void Counter(StringBuilder text, string name, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
