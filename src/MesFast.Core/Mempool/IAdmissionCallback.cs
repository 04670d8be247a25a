namespace MesFast.Core.Mempool;

/// <summary>Hears the outcome of a callback submission (<see cref="Mempool.Submit(byte[], IAdmissionCallback, object?, in MesFast.Crypto.Hash32)"/>).</summary>
public interface IAdmissionCallback
{
    /// <summary>Runs on the mempool's admission thread (or the submitter's, for an immediate refusal): it must not block.</summary>
    /// <param name="tag">the submitter's value passed through (the network's gossip id: computed once on arrival, not again to relay).</param>
    void OnAdmission(in SubmitResult result, byte[] raw, object? state, in MesFast.Crypto.Hash32 tag);
}
