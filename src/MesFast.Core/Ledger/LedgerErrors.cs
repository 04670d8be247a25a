namespace MesFast.Core.Ledger;

/// <summary>Stable machine codes of ledger rejections (PROTOCOL §7.5); messages add the details.</summary>
public static class LedgerErrors
{
    public const string WrongChain = "wrong-chain";
    public const string Expired = "expired";
    public const string KindNotEnabled = "kind-not-enabled";
    public const string NoInputs = "no-inputs";
    public const string NoOutputs = "no-outputs";
    public const string DuplicateInput = "duplicate-input";
    public const string MissingInput = "missing-input";
    public const string DoubleSpend = "double-spend";
    public const string MissingWitness = "missing-witness";
    public const string ExtraWitness = "extra-witness";
    public const string BadSignature = "bad-signature";
    public const string ZeroAmount = "zero-amount";
    public const string ValueNotConserved = "value-not-conserved";
    public const string Overflow = "overflow";
    public const string FeeTooLow = "fee-too-low";
    public const string UnknownAsset = "unknown-asset";
    public const string BadPayload = "bad-payload";
    public const string SupplyMismatch = "supply-mismatch";
    public const string WrongHeight = "wrong-height";
    public const string BadGenesis = "bad-genesis";
    public const string RewardOverflow = "reward-overflow";

    // Staking kinds (PROTOCOL §11.6).
    public const string BondTooLow = "bond-too-low";
    public const string NotOwner = "not-owner";
    public const string UnknownCandidate = "unknown-candidate";
    public const string UnknownPosition = "unknown-position";
    public const string StillUnbonding = "still-unbonding";
    public const string NothingToClaim = "nothing-to-claim";
}
