using MesFast.Core.Codec;
using MesFast.Core.Ledger.Kinds;
using MesFast.Core.Types;
using MesFast.Crypto;
using CryptoEd25519 = MesFast.Crypto.Ed25519;

namespace MesFast.Client.Tests;

public sealed class TxBuilderTests
{
    private static UtxoInfo Coin(byte id, ulong amount, Hash32 asset = default) =>
        new(new Hash32(Enumerable.Repeat(id, 32).ToArray()), id, asset, amount, "x", 1);

    [Fact]
    public void A_transfer_pays_exactly_its_size_in_fees_and_returns_the_change()
    {
        using var from = Signer.Generate();
        using var to = Signer.Generate();
        var built = TxBuilder.Transfer(1000, 50, from, [Coin(1, 300), Coin(2, 5_000_000), Coin(3, 1_000)], to.Address, Hash32.Zero, 1_000_000, feePerByte: 3);
        Assert.True(TxView.TryDecode(built.Bytes, out var view, out var failure), failure.ToString());
        Assert.Equal(built.TxId, built.Transaction.ComputeTxId());
        Assert.Equal((ulong)built.Bytes.Length * 3, built.Fee);
        Assert.Equal(150UL, view.ValidUntil);
        Assert.Equal(1, view.InputCount); // the largest coin covers it
        Assert.Equal(new TxOutput(Hash32.Zero, 1_000_000, to.Address), view.Output(0));
        Assert.Equal(5_000_000UL - 1_000_000 - built.Fee, view.Output(1).Amount);
        Assert.True(CryptoEd25519.Verify(view.Witness(0).PublicKey, built.TxId.Span, view.Witness(0).Signature));
    }

    [Fact]
    public void Asset_transfers_take_the_fee_from_mes_and_issuance_carries_the_supply()
    {
        using var from = Signer.Generate();
        using var to = Signer.Generate();
        var film = new Hash32(Enumerable.Repeat((byte)0x42, 32).ToArray());
        var built = TxBuilder.Transfer(1000, 1, from, [Coin(1, 700, film), Coin(2, 10_000)], to.Address, film, 500, 1);
        var outputs = built.Transaction.Outputs;
        Assert.Contains(new TxOutput(film, 500, to.Address), outputs);
        Assert.Contains(new TxOutput(film, 200, from.Address), outputs);
        Assert.Contains(new TxOutput(Hash32.Zero, 10_000 - built.Fee, from.Address), outputs);

        var payload = new IssueAssetPayload("Film", "FILM", 2, 99_999, default);
        var issue = TxBuilder.IssueAsset(1000, 1, from, [Coin(2, 10_000)], payload, 1);
        Assert.Equal(TxKind.IssueAsset, issue.Transaction.Kind);
        Assert.Equal(new TxOutput(AssetPlaceholder.Value, 99_999, from.Address), issue.Transaction.Outputs[0]);
        Assert.True(IssueAssetPayload.TryParse(issue.Transaction.Payload, out var parsed, out _));
        Assert.Equal(payload, parsed);
    }

    [Fact]
    public void Not_enough_funds_is_a_clear_error()
    {
        using var from = Signer.Generate();
        var e = Assert.Throws<InsufficientFundsException>(() => TxBuilder.Transfer(1000, 1, from, [Coin(1, 100)], from.Address, Hash32.Zero, 100, 1));
        Assert.Contains("insufficient funds", e.Message, StringComparison.Ordinal);
    }
}
