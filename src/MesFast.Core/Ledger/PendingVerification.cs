using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>A block's signature verification running on other cores, and its txids (see <see cref="LedgerState.BeginVerification"/>).</summary>
public sealed class PendingVerification : IDisposable
{
    /// <summary>BLAKE3 of the whole block encoding: the header hash does not cover witnesses, so it cannot tell a block from one with other signatures.</summary>
    private readonly Hash32 _encodingHash;
    private readonly LedgerState.SignatureBatch _signatures;
    private readonly Task<int> _task;
    private bool _disposed;

    internal PendingVerification(Hash32 encodingHash, Hash32[] txIds, LedgerState.SignatureBatch signatures, Task<int> task)
    {
        _encodingHash = encodingHash;
        TxIds = txIds;
        _signatures = signatures;
        _task = task;
    }

    internal Hash32[] TxIds { get; }

    /// <summary>Signatures being verified (those the signature cache did not vouch for).</summary>
    internal int SignatureCount => _signatures.Count;

    internal bool Matches(in BlockView block) => EncodingHash(block) == _encodingHash;

    internal static Hash32 EncodingHash(in BlockView block) => Blake3.Hash(block.Bytes);

    /// <summary>Index of the first transaction with a bad signature, or -1 (waits for the check).</summary>
    internal int Wait() => _task.GetAwaiter().GetResult();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The buffers go back to the pool only once the verification no longer reads them.
        try
        {
            _task.Wait();
        }
        catch (AggregateException)
        {
            // a failed verification task is reported by Wait(); disposal only releases memory
        }
        _signatures.Dispose();
    }
}
