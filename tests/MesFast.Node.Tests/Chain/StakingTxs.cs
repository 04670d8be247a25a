using MesFast.Client;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Types;
using MesFast.Crypto;
using MesFast.Node.Chain;
using MesFast.Node.Config;

namespace MesFast.Node.Tests.Chain;

/// <summary>Real staking transactions of one funded key, each spending the change of the previous one.</summary>
internal sealed class StakingTxs
{
    private readonly Genesis _genesis;
    private readonly Signer _owner;
    private TxInput _coin;
    private ulong _coinAmount;

    /// <summary><paramref name="owner"/> must hold the genesis allocation of <paramref name="funding"/> (its only one).</summary>
    public StakingTxs(Genesis genesis, Signer owner, ulong funding)
    {
        _genesis = genesis;
        _owner = owner;
        var outputs = new TxOutput[genesis.Allocations.Length];
        int index = -1;
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new TxOutput(Hash32.Zero, genesis.Allocations[i].Amount, genesis.Allocations[i].Address);
            if (genesis.Allocations[i].Address == owner.Address) index = i;
        }
        var genesisTx = new Transaction { ChainId = genesis.ChainId, Kind = TxKind.Transfer, Outputs = outputs };
        _coin = new TxInput(genesisTx.ComputeTxId(), (ushort)index);
        _coinAmount = funding;
    }

    public static Hash32 KeyOf(Signer signer) => new(signer.PublicKey);

    public Transaction Register(Signer nodeKey, ulong bond = 1_000) =>
        Build(TxKind.RegisterWitness, new RegisterWitnessPayload(KeyOf(nodeKey), bond, 5_000, "w", "https://w.example/", "w.example:7000", []).Encode(), bond, nodeKey);

    public Transaction Stake(ulong amount, Signer candidate) =>
        Build(TxKind.Stake, new StakePayload(amount, [KeyOf(candidate)]).Encode(), amount);

    /// <summary>A transaction spending the current coin (change back to the owner), signed by the owner and <paramref name="extra"/>.</summary>
    private Transaction Build(TxKind kind, byte[] payload, ulong locked, Signer? extra = null)
    {
        Signer[] signers = extra is null ? [_owner] : [_owner, extra];
        Transaction Make(ulong fee, TxWitness[] witnesses) => new()
        {
            ChainId = _genesis.ChainId,
            Kind = kind,
            ValidUntil = 1_000_000,
            Inputs = [_coin],
            Outputs = [new TxOutput(Hash32.Zero, _coinAmount - locked - fee, _owner.Address)],
            Payload = payload,
            Witnesses = witnesses,
        };
        var placeholder = new TxWitness[signers.Length];
        for (int i = 0; i < signers.Length; i++) placeholder[i] = new TxWitness(new PublicKey32(signers[i].PublicKey), new Signature64(new byte[64]));
        ulong fee = (ulong)Make(0, placeholder).EncodedLength * _genesis.MinFeePerByte;
        var unsigned = Make(fee, []);
        var txid = unsigned.ComputeTxId();
        var witnesses = new TxWitness[signers.Length];
        for (int i = 0; i < signers.Length; i++) witnesses[i] = signers[i].Witness(txid);
        _coin = new TxInput(txid, 0);
        _coinAmount -= locked + fee;
        return unsigned.WithWitnesses(witnesses);
    }

    public static async Task SubmitFinalAsync(ChainService chain, Transaction tx)
    {
        var result = await chain.SubmitTransactionAsync(tx.ToBytes(), CancellationToken.None);
        Assert.True(result.Accepted, result.Message);
        await WaitAsync(() => chain.Ledger.TryGetUtxo(new TxInput(tx.ComputeTxId(), 0), out _), "transaction final");
    }

    public static async Task WaitAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 25)
        {
            if (condition()) return;
            await Task.Delay(25);
        }
        throw new TimeoutException(what);
    }
}
