namespace MesFast.Core;

/// <summary>
/// Protocol constants that bound every encoded object (DESIGN §3 "Limits … in one place in code").
/// The decoder rejects anything beyond them, so a peer can never make a node allocate or loop beyond these sizes.
/// Changing any value is a hard fork.
/// </summary>
public static class ProtocolLimits
{
    /// <summary>The only transaction and header version this codec accepts (DESIGN §3: <c>u8 version=1</c>).</summary>
    public const byte Version = 1;

    /// <summary>Largest transaction encoding, witnesses included: 64 KiB (DESIGN §3).</summary>
    public const int MaxTxBytes = 64 * 1024;

    /// <summary>Most inputs in one transaction (DESIGN §3).</summary>
    public const int MaxInputs = 256;

    /// <summary>Most outputs in one transaction (DESIGN §3).</summary>
    public const int MaxOutputs = 256;

    /// <summary>
    /// Most witnesses (public key + signature) in one transaction. One per distinct input owner is needed, so
    /// never more than <see cref="MaxInputs"/>; kinds without inputs still need a signer, hence equal, not less.
    /// </summary>
    public const int MaxWitnesses = 256;

    /// <summary>
    /// Largest kind-specific payload: 32 KiB, half of <see cref="MaxTxBytes"/>, so inputs, outputs and witnesses still fit
    /// beside a full payload in most transactions (the total is still capped by <see cref="MaxTxBytes"/>).
    /// </summary>
    public const int MaxPayloadBytes = 32 * 1024;

    /// <summary>Most transactions in one block (the smallest tx is 18 bytes, so this binds before the byte limit only for tiny txs).</summary>
    public const int MaxBlockTxs = 16_384;

    /// <summary>Largest block encoding (header + txs + commit certificate): 4 MiB.</summary>
    public const int MaxBlockBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Widest commit-certificate signer bitmap, i.e. the most witnesses an epoch may have (DEC varies N, DESIGN §6);
    /// it also bounds the signatures in one certificate, since their count equals the bitmap's popcount.
    /// </summary>
    public const int MaxWitnessCount = 1024;
}
