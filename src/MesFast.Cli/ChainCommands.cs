using System.Globalization;
using MesFast.Client;
using MesFast.Core.Ledger.Kinds;
using MesFast.Crypto;

namespace MesFast.Cli;

/// <summary>Commands that talk to a node: balance, send, tx show, asset issue/show.</summary>
internal static class ChainCommands
{
    public static async Task<int> BalanceAsync(CliContext c)
    {
        c.Args.Allow("balance", "--asset");
        c.Args.ExpectWords("balance", 2, "balance ADDRESS|NAME [--asset ID]");
        string address = c.ResolveAddress(c.Args.Words[1]);
        var asset = c.Args.Value("--asset") is { } id ? MesCli.ParseHash(id, "--asset") : Hash32.Zero;
        var (symbol, decimals) = await DescribeAsync(c, asset).ConfigureAwait(false);
        ulong units = await c.Rpc.GetBalanceAsync(address, asset).ConfigureAwait(false);
        if (c.Json) c.Env.Out.WriteLine($"{{\"address\":\"{address}\",\"asset\":\"{asset}\",\"amount\":\"{units}\"}}");
        else c.Env.Out.WriteLine($"{Amounts.Format(units, decimals)} {symbol}");
        return 0;
    }

    public static async Task<int> SendAsync(CliContext c)
    {
        c.Args.Allow("send", "--asset", "--fee-per-byte", "--wait", "--timeout");
        c.Args.ExpectWords("send", 4, "send FROM-NAME TO-ADDRESS AMOUNT [--asset ID] [--fee-per-byte N] [--wait]");
        string fromName = c.Args.Words[1];
        if (!Address.TryParse(c.Args.Words[2], c.Hrp, out var to, out var addressError))
            throw new UsageException($"'{c.Args.Words[2]}' is not a valid '{c.Hrp}' address ({addressError})");
        var asset = c.Args.Value("--asset") is { } id ? MesCli.ParseHash(id, "--asset") : Hash32.Zero;
        var (symbol, decimals) = await DescribeAsync(c, asset).ConfigureAwait(false);
        if (!Amounts.TryParse(c.Args.Words[3], decimals, symbol, out ulong amount, out string? amountError)) throw new UsageException(amountError);
        if (amount == 0) throw new UsageException("the amount must be above 0");
        var (signer, chainId, height, utxos, feePerByte) = await PrepareSpendAsync(c, fromName).ConfigureAwait(false);
        using var key = signer;
        var built = TxBuilder.Transfer(chainId, height, signer, utxos, to, asset, amount, feePerByte);
        var txid = await c.Rpc.SendRawTransactionAsync(built.Bytes).ConfigureAwait(false);
        return await ReportAsync(c, txid, $"sent {Amounts.Format(amount, decimals)} {symbol} to {c.Args.Words[2]} (fee {Amounts.Format(built.Fee)} MES)").ConfigureAwait(false);
    }

    public static async Task<int> TxShowAsync(CliContext c)
    {
        c.Args.Allow("tx show");
        c.Args.ExpectWords("tx show", 3, "tx show TXID");
        var txid = MesCli.ParseHash(c.Args.Words[2], "TXID");
        var info = await c.Rpc.GetTransactionAsync(txid).ConfigureAwait(false);
        if (info is null)
        {
            c.Env.Error.WriteLine($"mes: transaction {txid} is not known to the node (neither pending nor final)");
            return 1;
        }
        if (c.Json)
        {
            using var doc = await c.Rpc.CallAsync("mes_getTransaction", w => w.WriteStringValue(txid.ToString())).ConfigureAwait(false);
            c.Env.Out.WriteLine(doc.RootElement.GetRawText());
            return 0;
        }
        c.Env.Out.WriteLine($"txid    {info.TxId}");
        c.Env.Out.WriteLine($"kind    {info.Kind}");
        c.Env.Out.WriteLine($"status  {info.Status}{(info.Height is { } h ? $" at height {h} (index {info.Index})" : "")}");
        c.Env.Out.WriteLine($"size    {info.Size} bytes{(info.Fee is { } fee ? $", fee {Amounts.Format(fee)} MES" : "")}");
        foreach (var (asset, amount, owner) in info.Outputs)
        {
            var (symbol, decimals) = asset == AssetPlaceholder.Value ? ("(new asset)", 0) : await DescribeAsync(c, asset).ConfigureAwait(false);
            c.Env.Out.WriteLine($"output  {Amounts.Format(amount, decimals)} {symbol} → {owner}");
        }
        return 0;
    }

    public static async Task<int> AssetIssueAsync(CliContext c)
    {
        c.Args.Allow("asset issue", "--name", "--symbol", "--decimals", "--supply", "--metadata-hash", "--fee-per-byte", "--wait", "--timeout");
        c.Args.ExpectWords("asset issue", 3, "asset issue FROM-NAME --name NAME --symbol SYM --decimals D --supply AMOUNT [--metadata-hash HEX]");
        string name = c.Args.Value("--name") ?? throw new UsageException("asset issue needs --name");
        string symbol = c.Args.Value("--symbol") ?? throw new UsageException("asset issue needs --symbol");
        string decimalsText = c.Args.Value("--decimals") ?? throw new UsageException("asset issue needs --decimals");
        if (!byte.TryParse(decimalsText, NumberStyles.None, CultureInfo.InvariantCulture, out byte decimals) || decimals > IssueAssetPayload.MaxDecimals)
            throw new UsageException($"--decimals must be 0 … {IssueAssetPayload.MaxDecimals}, got '{decimalsText}'");
        string supplyText = c.Args.Value("--supply") ?? throw new UsageException("asset issue needs --supply");
        if (!Amounts.TryParse(supplyText, decimals, symbol, out ulong supply, out string? supplyError)) throw new UsageException($"--supply: {supplyError}");
        var metadata = c.Args.Value("--metadata-hash") is { } m ? MesCli.ParseHash(m, "--metadata-hash") : Hash32.Zero;
        var payload = MesCli.AssetPayload(name, symbol, decimals, supply, metadata);
        if (!IssueAssetPayload.TryParse(payload.Encode(), out _, out string problem)) throw new UsageException(problem);
        var (signer, chainId, height, utxos, feePerByte) = await PrepareSpendAsync(c, c.Args.Words[2]).ConfigureAwait(false);
        using var key = signer;
        var built = TxBuilder.IssueAsset(chainId, height, signer, utxos, payload, feePerByte);
        var txid = await c.Rpc.SendRawTransactionAsync(built.Bytes).ConfigureAwait(false);
        var assetId = AssetPlaceholder.AssetIdOf(txid);
        return await ReportAsync(c, txid, $"issuing {Amounts.Format(supply, decimals)} {symbol} (\"{name}\"), asset id {assetId}").ConfigureAwait(false);
    }

    public static async Task<int> AssetShowAsync(CliContext c)
    {
        c.Args.Allow("asset show");
        c.Args.ExpectWords("asset show", 3, "asset show ID");
        var id = MesCli.ParseHash(c.Args.Words[2], "ID");
        var asset = await c.Rpc.GetAssetAsync(id).ConfigureAwait(false);
        if (asset is null)
        {
            c.Env.Error.WriteLine($"mes: no asset {id}");
            return 1;
        }
        if (c.Json)
        {
            using var doc = await c.Rpc.CallAsync("mes_getAsset", w => w.WriteStringValue(id.ToString())).ConfigureAwait(false);
            c.Env.Out.WriteLine(doc.RootElement.GetRawText());
            return 0;
        }
        c.Env.Out.WriteLine($"asset    {asset.Id}\nname     {asset.Name}\nsymbol   {asset.Symbol}\ndecimals {asset.Decimals}");
        c.Env.Out.WriteLine($"supply   {Amounts.Format(asset.Supply, asset.Decimals)} {asset.Symbol}\nissuer   {asset.Issuer ?? "(native)"}\nissued   at height {asset.Height} in {asset.TxId}");
        return 0;
    }

    /// <summary>What every spending command needs: the unlocked key, chain id, height, the key's outputs and the fee rate.</summary>
    private static async Task<(Signer Signer, uint ChainId, ulong Height, IReadOnlyList<UtxoInfo> Utxos, ulong FeePerByte)> PrepareSpendAsync(CliContext c, string keyName)
    {
        ulong feePerByte = c.Args.Value("--fee-per-byte") is { } f
            ? MesCli.ParseUnsigned(f, "--fee-per-byte")
            : (await c.Rpc.EstimateFeeAsync().ConfigureAwait(false)).SuggestedFeePerByte;
        var signer = c.Keystore.Load(keyName, c.Password(confirm: false));
        try
        {
            uint chainId = await c.Rpc.ChainIdAsync().ConfigureAwait(false);
            ulong height = await c.Rpc.BlockNumberAsync().ConfigureAwait(false);
            var utxos = await c.Rpc.GetUtxosAsync(signer.Address.ToBech32(c.Hrp)).ConfigureAwait(false);
            return (signer, chainId, height, utxos, feePerByte);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    /// <summary>Prints the txid; with --wait, polls until the transaction is final (or the timeout passes).</summary>
    private static async Task<int> ReportAsync(CliContext c, Hash32 txid, string summary)
    {
        if (!c.Args.Has("--wait"))
        {
            if (c.Json) c.Env.Out.WriteLine($"{{\"txid\":\"{txid}\",\"status\":\"pending\"}}");
            else c.Env.Out.WriteLine($"{summary}\ntxid {txid} (pending)");
            return 0;
        }
        int seconds = c.Args.Value("--timeout") is { } t ? (int)Math.Min(MesCli.ParseUnsigned(t, "--timeout"), 3600) : 30;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var info = await c.Rpc.GetTransactionAsync(txid).ConfigureAwait(false);
            if (info is { Status: "final" })
            {
                if (c.Json) c.Env.Out.WriteLine($"{{\"txid\":\"{txid}\",\"status\":\"final\",\"height\":{info.Height}}}");
                else c.Env.Out.WriteLine($"{summary}\ntxid {txid} final at height {info.Height}");
                return 0;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"transaction {txid} was not final within {seconds} s (check later with: mes tx show {txid})");
    }

    /// <summary>Symbol and decimals for display: MES, or the asset's own from the node.</summary>
    private static async Task<(string Symbol, int Decimals)> DescribeAsync(CliContext c, Hash32 asset)
    {
        if (asset == Hash32.Zero) return ("MES", Amounts.MesDecimals);
        var info = await c.Rpc.GetAssetAsync(asset).ConfigureAwait(false) ?? throw new UsageException($"the node knows no asset {asset}");
        return (info.Symbol, info.Decimals);
    }
}
