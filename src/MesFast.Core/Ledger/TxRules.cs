using MesFast.Core.Codec;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Ledger.Staking;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// The rules every transaction obeys (PROTOCOL §7.3) apart from signatures: chain, expiry, kind, inputs, owners
/// and witnesses, value conservation, fee; kind-specific rules live in <c>Kinds/</c>. Shared by mempool admission
/// (<see cref="LedgerState.TryCheck"/>) and block application, so both accept exactly the same transactions.
/// </summary>
internal static class TxRules
{
    public const int MaxAssetsPerTx = ProtocolLimits.MaxInputs + ProtocolLimits.MaxOutputs;

    /// <param name="resolved">receives the entry of every input, in input order.</param>
    /// <param name="staking">staking records as this transaction sees them; required for the staking kinds.</param>
    /// <param name="txid">the transaction's id (a Stake's position id); any value for a mempool check.</param>
    /// <param name="issued">the parsed payload when the transaction issues an asset.</param>
    /// <param name="staked">what a staking transaction locks, releases and rewrites (not yet applied to <paramref name="staking"/>).</param>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public static bool TryCheck(in TxView tx, ulong height, LedgerParams rules, IInputSource source, Span<UtxoEntry> resolved,
        StakingOverlay? staking, in Hash32 txid, out ulong fee, out IssueAssetPayload? issued, out StakingChange? staked, out TxRejection rejection)
    {
        fee = 0;
        issued = null;
        staked = null;
        if (tx.ChainId != rules.ChainId)
            return Reject(LedgerErrors.WrongChain, $"chain id {tx.ChainId}, this chain is {rules.ChainId}", out rejection);
        if (tx.ValidUntil < height)
            return Reject(LedgerErrors.Expired, $"valid until height {tx.ValidUntil}, the block is at {height}", out rejection);
        if (tx.Kind is not (TxKind.Transfer or TxKind.IssueAsset) && !(StakingRules.IsStakingKind(tx.Kind) && staking is not null))
            return Reject(LedgerErrors.KindNotEnabled, $"transaction kind {tx.Kind} is not enabled on this chain yet", out rejection);
        if (tx.InputCount == 0)
            return Reject(LedgerErrors.NoInputs, "a transaction spends at least one input (it pays the fee)", out rejection);

        for (int i = 1; i < tx.InputCount; i++)
        {
            var input = tx.Input(i);
            for (int j = 0; j < i; j++)
                if (tx.Input(j) == input)
                    return Reject(LedgerErrors.DuplicateInput, $"inputs {j} and {i} both spend {input.TxId}:{input.Index}", out rejection);
        }
        for (int i = 0; i < tx.InputCount; i++)
        {
            var input = tx.Input(i);
            if (!source.TryResolve(input, out resolved[i], out string code))
                return Reject(code, code == LedgerErrors.DoubleSpend
                    ? $"input {i} ({input.TxId}:{input.Index}) is already spent earlier in this block"
                    : $"input {i} ({input.TxId}:{input.Index}) does not exist or is spent", out rejection);
        }

        // A registration must also be signed by the node key it registers (proof of possession: nobody can
        // register, and so squat, another operator's key).
        RegisterWitnessPayload? registration = null;
        if (tx.Kind == TxKind.RegisterWitness && !RegisterWitnessPayload.TryParse(tx.Payload, out registration, out string problem))
            return Reject(LedgerErrors.BadPayload, $"RegisterWitness payload: {problem}", out rejection);
        if (!CheckWitnesses(tx, resolved[..tx.InputCount], registration?.NodeKey, out rejection)) return false;

        // Sized by this transaction (inputs, outputs and a staking lock; at most MaxAssetsPerTx + 1) and left unzeroed
        // (AssetBalance writes an entry before reading it): zeroing 24 KiB for every check was ~1 % of a node's CPU.
        int assetSlots = tx.InputCount + tx.OutputCount + 1;
        Span<Hash32> assets = stackalloc Hash32[assetSlots];
        Span<ulong> inSums = stackalloc ulong[assetSlots];
        Span<ulong> outSums = stackalloc ulong[assetSlots];
        var balance = new AssetBalance(assets, inSums, outSums);
        for (int i = 0; i < tx.InputCount; i++)
            if (!balance.AddIn(resolved[i].Asset, resolved[i].Amount))
                return Reject(LedgerErrors.Overflow, $"inputs of asset {resolved[i].Asset} sum over 2^64 - 1", out rejection);

        ulong placeholderSum = 0;
        for (int i = 0; i < tx.OutputCount; i++)
        {
            var output = tx.Output(i);
            if (output.Amount == 0) return Reject(LedgerErrors.ZeroAmount, $"output {i} has amount 0", out rejection);
            if (tx.Kind == TxKind.IssueAsset && output.Asset == AssetPlaceholder.Value)
            {
                if (ulong.MaxValue - placeholderSum < output.Amount)
                    return Reject(LedgerErrors.Overflow, "outputs of the issued asset sum over 2^64 - 1", out rejection);
                placeholderSum += output.Amount;
                continue;
            }
            if (!balance.AddOut(output.Asset, output.Amount))
                return Reject(LedgerErrors.Overflow, $"outputs of asset {output.Asset} sum over 2^64 - 1", out rejection);
        }

        switch (tx.Kind)
        {
            case TxKind.Transfer:
                if (!TransferRules.TryCheck(tx, out rejection)) return false;
                break;
            case TxKind.IssueAsset:
                if (!IssueAssetRules.TryCheck(tx, placeholderSum, out issued, out rejection)) return false;
                break;
            default:
                if (!StakingRules.TryCheck(tx, registration, txid, height, rules, staking!, resolved[0].Owner, out staked, out rejection)) return false;
                // Locked MES leaves the UTXO set like an output: inputs = outputs + locked + fee.
                if (staked!.Locked > 0 && !balance.AddOut(Hash32.Zero, staked.Locked))
                    return Reject(LedgerErrors.Overflow, "MES outputs plus the locked amount sum over 2^64 - 1", out rejection);
                break;
        }

        for (int i = 0; i < balance.Count; i++)
        {
            var asset = balance.Asset(i);
            if (asset == Hash32.Zero)
            {
                if (balance.Out(i) > balance.In(i))
                    return Reject(LedgerErrors.ValueNotConserved, $"MES outputs {balance.Out(i)} exceed MES inputs {balance.In(i)}", out rejection);
                fee = balance.In(i) - balance.Out(i);
            }
            else if (balance.In(i) != balance.Out(i))
            {
                return Reject(LedgerErrors.ValueNotConserved,
                    $"asset {asset}: inputs {balance.In(i)} but outputs {balance.Out(i)} (only MES pays fees)", out rejection);
            }
        }

        ulong size = (ulong)tx.Bytes.Length;
        if (rules.MinFeePerByte != 0 && (fee / rules.MinFeePerByte < size))
            return Reject(LedgerErrors.FeeTooLow,
                $"fee {fee} is below the minimum {(UInt128)size * rules.MinFeePerByte} ({rules.MinFeePerByte} per byte × {size} bytes)",
                out rejection);
        rejection = default;
        return true;
    }

    /// <summary>
    /// Every distinct input owner has exactly one witness whose key's address is that owner, and no witness is extra;
    /// <paramref name="requiredKey"/>, when given, must be one of the witness keys (it may own no input).
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the address buffer is written before it is read
    private static bool CheckWitnesses(in TxView tx, ReadOnlySpan<UtxoEntry> inputs, Hash32? requiredKey, out TxRejection rejection)
    {
        int witnesses = tx.WitnessCount;
        bool requiredSigned = requiredKey is null;
        Span<byte> witnessAddresses = stackalloc byte[ProtocolLimits.MaxWitnesses * Address.Size];
        for (int w = 0; w < witnesses; w++)
        {
            var address = Address.FromPublicKey(tx.Witness(w).PublicKey);
            address.CopyTo(witnessAddresses.Slice(w * Address.Size, Address.Size));
            for (int v = 0; v < w; v++)
                if (witnessAddresses.Slice(v * Address.Size, Address.Size).SequenceEqual(address.Span))
                    return Reject(LedgerErrors.ExtraWitness, $"witnesses {v} and {w} are the same key's", out rejection);
            bool owns = false;
            for (int i = 0; i < inputs.Length && !owns; i++) owns = inputs[i].Owner == address;
            if (requiredKey is { } key && tx.Witness(w).PublicKey.SequenceEqual(key.Span))
            {
                requiredSigned = true;
                continue;
            }
            if (!owns)
                return Reject(LedgerErrors.ExtraWitness, $"witness {w} ({address}) owns none of the inputs", out rejection);
        }
        for (int i = 0; i < inputs.Length; i++)
        {
            bool signed = false;
            for (int w = 0; w < witnesses && !signed; w++)
                signed = witnessAddresses.Slice(w * Address.Size, Address.Size).SequenceEqual(inputs[i].Owner.Span);
            if (!signed)
                return Reject(LedgerErrors.MissingWitness, $"input {i} is owned by {inputs[i].Owner}, which has no witness", out rejection);
        }
        if (!requiredSigned)
            return Reject(LedgerErrors.MissingWitness, $"the node key {requiredKey} being registered must sign the transaction", out rejection);
        rejection = default;
        return true;
    }

    internal static bool Reject(string code, string message, out TxRejection rejection)
    {
        rejection = new TxRejection(code, message);
        return false;
    }
}
