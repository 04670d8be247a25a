using System.Buffers;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Mempool;

/// <summary>
/// The witness signatures of a batch of submissions, verified together on the admission thread (not across the
/// thread pool: admission runs at a lower priority than block work, and pool threads would run it at full priority).
/// </summary>
internal sealed class AdmissionSignatures
{
    private readonly ArrayBufferWriter<byte> _keys = new(64 * 32);
    private readonly ArrayBufferWriter<byte> _signatures = new(64 * 64);
    private readonly ArrayBufferWriter<byte> _messages = new(64 * 32);
    private readonly List<int> _owner = [];

    /// <summary>One per admitting thread, reused: its buffers grew from a few kilobytes for every batch before.</summary>
    [ThreadStatic]
    private static AdmissionSignatures? t_current;

    /// <summary>This thread's instance, emptied.</summary>
    public static AdmissionSignatures Rent()
    {
        var signatures = t_current ??= new AdmissionSignatures();
        signatures._keys.ResetWrittenCount();
        signatures._signatures.ResetWrittenCount();
        signatures._messages.ResetWrittenCount();
        signatures._owner.Clear();
        return signatures;
    }

    public void Add(in TxView tx, in Hash32 txid, int submission)
    {
        for (int w = 0; w < tx.WitnessCount; w++)
        {
            var witness = tx.Witness(w);
            _keys.Write(witness.PublicKey);
            _signatures.Write(witness.Signature);
            _messages.Write(txid.Span);
            _owner.Add(submission);
        }
    }

    /// <summary>Returns, per submission, whether any of its signatures failed.</summary>
    public bool[] VerifyAll(int submissions)
    {
        var bad = new bool[submissions];
        int n = _owner.Count;
        if (n == 0) return bad;
        var keys = _keys.WrittenSpan;
        var sigs = _signatures.WrittenSpan;
        var msgs = _messages.WrittenSpan;
        var valid = new bool[n];
        int invalid = Ed25519Batch.Verify(keys, sigs, msgs, 32, valid);
        if (invalid > 0)
            for (int i = 0; i < n; i++)
                if (!valid[i]) bad[_owner[i]] = true;
        return bad;
    }
}
