using System.Globalization;
using MesFast.Client;
using MesFast.Core.Ledger.Kinds;
using MesFast.Crypto;

namespace MesFast.Cli;

/// <summary>The <c>mes</c> wallet: keys, balances, transfers, transactions and assets over a node's JSON-RPC.</summary>
internal static class MesCli
{
    public const string Usage = """
        usage: mes [--rpc URL] [--keystore DIR] [--password-file F] [--hrp mes|tmes] [--json] COMMAND
          keys new NAME                         create a key (encrypted with your password)
          keys import NAME (--seed-hex HEX | --seed-file F)
          keys list | keys show NAME
          balance ADDRESS|NAME [--asset ID]
          send FROM-NAME TO-ADDRESS AMOUNT [--asset ID] [--fee-per-byte N] [--wait] [--timeout SECONDS]
          tx show TXID
          asset issue FROM-NAME --name NAME --symbol SYM --decimals D --supply AMOUNT [--metadata-hash HEX] [--wait]
          asset show ID
          witnesses                             the witnesses in force (epoch, round, votes)
          candidates                            registered witness candidates, most votes first
        environment: MES_RPC (default http://127.0.0.1:8645/rpc), MES_KEYSTORE (default ~/.mes/keys), MES_PASSWORD
        """;

    public static async Task<int> RunAsync(string[] args, CliEnvironment env)
    {
        try
        {
            var a = CliArgs.Parse(args);
            if (a.Has("--version"))
            {
                env.Out.WriteLine($"mes {typeof(MesCli).Assembly.GetName().Version?.ToString(3)}");
                return 0;
            }
            if (a.Has("--help") || a.Has("-h") || a.Words.Count == 0)
            {
                (a.Words.Count == 0 && !a.Has("--help") && !a.Has("-h") ? env.Error : env.Out).WriteLine(Usage);
                return a.Words.Count == 0 && !a.Has("--help") && !a.Has("-h") ? 2 : 0;
            }
            using var context = new CliContext(a, env);
            string command = a.Words[0] + (a.Words.Count > 1 ? " " + a.Words[1] : "");
            return command switch
            {
                "keys new" => KeyCommands.New(context),
                "keys import" => KeyCommands.Import(context),
                "keys list" => KeyCommands.List(context),
                "keys show" => KeyCommands.Show(context),
                "tx show" => await ChainCommands.TxShowAsync(context).ConfigureAwait(false),
                "asset issue" => await ChainCommands.AssetIssueAsync(context).ConfigureAwait(false),
                "asset show" => await ChainCommands.AssetShowAsync(context).ConfigureAwait(false),
                _ when a.Words[0] == "witnesses" => await StakingCommands.WitnessesAsync(context).ConfigureAwait(false),
                _ when a.Words[0] == "candidates" => await StakingCommands.CandidatesAsync(context).ConfigureAwait(false),
                _ when a.Words[0] == "balance" => await ChainCommands.BalanceAsync(context).ConfigureAwait(false),
                _ when a.Words[0] == "send" => await ChainCommands.SendAsync(context).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{string.Join(' ', a.Words)}'"),
            };
        }
        catch (UsageException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            env.Error.WriteLine(Usage);
            return 2;
        }
        catch (KeystoreException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            return 1;
        }
        catch (MesRpcException e)
        {
            env.Error.WriteLine($"mes: the node refused: {e.Message}{(e.ErrorData is null ? "" : $" [{e.ErrorData}]")}");
            return 1;
        }
        catch (InsufficientFundsException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            return 1;
        }
        catch (TimeoutException e)
        {
            env.Error.WriteLine($"mes: {e.Message}");
            return 1;
        }
    }

    internal static Hash32 ParseHash(string text, string what)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        if (text.Length != 64 || !text.All(char.IsAsciiHexDigit)) throw new UsageException($"{what} must be 64 hex characters");
        return Hash32.Parse(text);
    }

    internal static ulong ParseUnsigned(string text, string what)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            throw new UsageException($"{what} must be a whole number, got '{text}'");
        return value;
    }

    internal static IssueAssetPayload AssetPayload(string name, string symbol, byte decimals, ulong supply, Hash32 metadata) =>
        new(name, symbol, decimals, supply, metadata);
}
