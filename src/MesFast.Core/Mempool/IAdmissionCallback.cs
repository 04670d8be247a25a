namespace MesFast.Core.Mempool;

/// <summary>Hears the outcome of a callback submission (<see cref="Mempool.Submit(byte[], IAdmissionCallback, object?)"/>).</summary>
public interface IAdmissionCallback
{
    /// <summary>Runs on the mempool's admission thread (or the submitter's, for an immediate refusal): it must not block.</summary>
    void OnAdmission(in SubmitResult result, byte[] raw, object? state);
}
