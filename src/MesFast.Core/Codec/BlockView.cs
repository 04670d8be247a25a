using MesFast.Crypto;

namespace MesFast.Core.Codec;

/// <summary>
/// A decoded block (DESIGN §4) over its encoding, with no copies:
/// <code>
/// Header (193 bytes) ‖ varint nTx ‖ nTx × Tx ‖ CommitCert lastCommit      nTx ≤ MaxBlockTxs, total ≤ MaxBlockBytes
/// </code>
/// Transactions are self-delimiting (no length prefix), so they are reached by walking: <see cref="Transactions"/>
/// re-reads each already-validated tx in order. <c>lastCommit</c> certifies height − 1.
/// </summary>
public readonly ref struct BlockView
{
    private readonly int _txsAt;
    private readonly int _lastCommitAt;

    private BlockView(ReadOnlySpan<byte> bytes, HeaderView header, int txCount, int txsAt, int lastCommitAt, CommitCertView lastCommit)
    {
        Bytes = bytes;
        Header = header;
        TxCount = txCount;
        _txsAt = txsAt;
        _lastCommitAt = lastCommitAt;
        LastCommit = lastCommit;
    }

    /// <summary>The block's whole encoding.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public HeaderView Header { get; }

    public int TxCount { get; }

    /// <summary>The certificate of the previous height carried by this block.</summary>
    public CommitCertView LastCommit { get; }

    /// <summary>Block hash = <c>H(header, header encoding)</c> (DESIGN §4).</summary>
    public Hash32 ComputeHash() => Header.ComputeHash();

    /// <summary>The transactions in order, each a <see cref="TxView"/> over its own slice of the block.</summary>
    public TxEnumerator Transactions => new(Bytes[_txsAt.._lastCommitAt], TxCount);

    /// <summary>Decodes exactly one block.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out BlockView view, out DecodeFailure failure)
    {
        view = default;
        var reader = new CodecReader(encoding);
        if (encoding.Length > ProtocolLimits.MaxBlockBytes)
        {
            reader.At("block");
            reader.Fail(DecodeError.TooLarge, 0);
            failure = reader.Failure;
            return false;
        }

        reader.Within("header");
        if (!HeaderView.TryRead(ref reader, out var header)) return Failed(ref reader, out failure);

        reader.Within(null);
        reader.At("txs");
        if (!reader.TryReadCount(ProtocolLimits.MaxBlockTxs, out int txCount)) return Failed(ref reader, out failure);
        int txsAt = reader.Offset;
        for (int i = 0; i < txCount; i++)
        {
            reader.Within("txs", i);
            if (!TxView.TryRead(ref reader, out _)) return Failed(ref reader, out failure);
        }

        int lastCommitAt = reader.Offset;
        reader.Within("lastCommit");
        if (!CommitCertView.TryRead(ref reader, out var lastCommit)) return Failed(ref reader, out failure);

        reader.Within(null);
        reader.At("block");
        if (!reader.TryReadEnd()) return Failed(ref reader, out failure);

        view = new BlockView(encoding, header, txCount, txsAt, lastCommitAt, lastCommit);
        failure = default;
        return true;
    }

    private static bool Failed(scoped ref CodecReader reader, out DecodeFailure failure)
    {
        failure = reader.Failure;
        return false;
    }

    /// <summary>Walks a block's validated transaction section (foreach-able, allocation-free).</summary>
    public ref struct TxEnumerator
    {
        private readonly ReadOnlySpan<byte> _section;
        private int _offset;
        private int _remaining;
        private TxView _current;

        internal TxEnumerator(ReadOnlySpan<byte> section, int count)
        {
            _section = section;
            _remaining = count;
        }

        public readonly TxView Current => _current;

        public readonly TxEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_remaining == 0) return false;
            var reader = new CodecReader(_section[_offset..]);
            // The block decoder already validated this tx, so this cannot fail.
            TxView.TryRead(ref reader, out _current);
            _offset += reader.Offset;
            _remaining--;
            return true;
        }
    }
}
