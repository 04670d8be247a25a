namespace MesFast.Core.Ledger;

/// <summary>Why a block is invalid: the offending transaction's index (-1 for the block itself) and the reason.</summary>
public readonly record struct BlockRejection(int TxIndex, string Code, string Message)
{
    public override string ToString() => TxIndex < 0 ? $"{Code}: {Message}" : $"tx {TxIndex}: {Code}: {Message}";
}
