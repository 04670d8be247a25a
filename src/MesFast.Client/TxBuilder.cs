using MesFast.Core;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Client;

/// <summary>A signed transaction ready to send.</summary>
public sealed record BuiltTransaction(Transaction Transaction, byte[] Bytes, Hash32 TxId, ulong Fee);

/// <summary>Not enough spendable outputs for the amount plus the fee.</summary>
public sealed class InsufficientFundsException(string message) : Exception(message);

/// <summary>
/// Builds and signs transactions from the sender's unspent outputs: largest outputs first, change back to the
/// sender, and the fee = feePerByte × exact encoded size (recomputed until the size stops changing).
/// </summary>
public static class TxBuilder
{
    public const ulong DefaultValidityWindow = 100;

    public static BuiltTransaction Transfer(uint chainId, ulong currentHeight, Signer from, IReadOnlyList<UtxoInfo> utxos,
        Address to, Hash32 asset, ulong amount, ulong feePerByte, ulong validityWindow = DefaultValidityWindow)
    {
        if (amount == 0) throw new ArgumentOutOfRangeException(nameof(amount), "the amount must be above 0");
        return Build(chainId, currentHeight, from, utxos, TxKind.Transfer, [], validityWindow, feePerByte, asset, amount,
            (assetChange, mesChange) =>
            {
                var outputs = new List<TxOutput> { new(asset, amount, to) };
                if (assetChange > 0) outputs.Add(new TxOutput(asset, assetChange, from.Address));
                if (mesChange > 0) outputs.Add(new TxOutput(Hash32.Zero, mesChange, from.Address));
                return outputs;
            });
    }

    /// <summary>Issues an asset whose whole supply goes to the sender; MES outputs pay the fee.</summary>
    public static BuiltTransaction IssueAsset(uint chainId, ulong currentHeight, Signer from, IReadOnlyList<UtxoInfo> utxos,
        IssueAssetPayload asset, ulong feePerByte, ulong validityWindow = DefaultValidityWindow)
    {
        byte[] payload = asset.Encode();
        return Build(chainId, currentHeight, from, utxos, TxKind.IssueAsset, payload, validityWindow, feePerByte, Hash32.Zero, 0,
            (_, mesChange) =>
            {
                var outputs = new List<TxOutput> { new(AssetPlaceholder.Value, asset.Supply, from.Address) };
                if (mesChange > 0) outputs.Add(new TxOutput(Hash32.Zero, mesChange, from.Address));
                return outputs;
            });
    }

    private static BuiltTransaction Build(uint chainId, ulong currentHeight, Signer from, IReadOnlyList<UtxoInfo> utxos, TxKind kind,
        byte[] payload, ulong validityWindow, ulong feePerByte, Hash32 asset, ulong amount,
        Func<ulong, ulong, List<TxOutput>> outputsFor)
    {
        var placeholderWitness = new TxWitness(new PublicKey32(from.PublicKey), new Signature64(new byte[64]));
        ulong fee = 0;
        for (int round = 0; round < 8; round++)
        {
            var inputs = new List<TxInput>();
            ulong assetIn = 0, mesIn = 0;
            if (asset != Hash32.Zero) assetIn = Select(utxos, asset, amount, inputs, "of this asset");
            ulong mesNeeded = asset == Hash32.Zero ? Checked(amount, fee) : fee;
            mesIn = Select(utxos, Hash32.Zero, mesNeeded, inputs, "MES");
            if (inputs.Count == 0) mesIn = Select(utxos, Hash32.Zero, 1, inputs, "MES"); // a transaction spends at least one input
            if (inputs.Count > ProtocolLimits.MaxInputs)
                throw new InsufficientFundsException($"the amount needs {inputs.Count} inputs; the limit is {ProtocolLimits.MaxInputs} (consolidate first)");
            ulong assetChange = asset == Hash32.Zero ? 0 : assetIn - amount;
            ulong mesChange = mesIn - mesNeeded;
            var unsigned = new Transaction
            {
                ChainId = chainId,
                Kind = kind,
                ValidUntil = currentHeight + validityWindow,
                Inputs = [.. inputs],
                Outputs = [.. outputsFor(assetChange, mesChange)],
                Payload = payload,
                Witnesses = [placeholderWitness],
            };
            ulong needed = Checked(0, (ulong)unsigned.EncodedLength * feePerByte);
            if (needed > fee)
            {
                fee = needed;
                continue;
            }
            var txid = unsigned.ComputeTxId();
            var signed = unsigned.WithWitnesses([from.Witness(txid)]);
            return new BuiltTransaction(signed, signed.ToBytes(), txid, mesIn - Sum(signed.Outputs, Hash32.Zero));
        }
        throw new InvalidOperationException("the fee did not settle");
    }

    private static ulong Select(IReadOnlyList<UtxoInfo> utxos, Hash32 asset, ulong target, List<TxInput> inputs, string what)
    {
        if (target == 0) return 0;
        var candidates = new List<UtxoInfo>();
        foreach (var u in utxos) if (u.Asset == asset) candidates.Add(u);
        candidates.Sort(static (a, b) => b.Amount.CompareTo(a.Amount));
        ulong total = 0, available = 0;
        foreach (var u in candidates) available = available > ulong.MaxValue - u.Amount ? ulong.MaxValue : available + u.Amount;
        foreach (var u in candidates)
        {
            if (total >= target) break;
            inputs.Add(new TxInput(u.TxId, u.Index));
            total += u.Amount;
        }
        if (total < target)
            throw new InsufficientFundsException($"insufficient funds: {available} units {what} available, {target} needed");
        return total;
    }

    private static ulong Sum(TxOutput[] outputs, Hash32 asset)
    {
        ulong sum = 0;
        foreach (var o in outputs) if (o.Asset == asset) sum += o.Amount;
        return sum;
    }

    private static ulong Checked(ulong a, ulong b) =>
        ulong.MaxValue - a < b ? throw new InsufficientFundsException("the amount plus fee exceeds 2^64 - 1 units") : a + b;
}
