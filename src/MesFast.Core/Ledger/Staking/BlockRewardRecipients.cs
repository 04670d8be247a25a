using MesFast.Crypto;

namespace MesFast.Core.Ledger.Staking;

/// <summary>
/// Who a block's reward goes to (PROTOCOL §11.4), resolved by the chain from the epoch's witness set:
/// the proposer's reward address and node key (its candidate record, if any, sets the voter share), and the reward
/// address of each signer of the block's <c>lastCommit</c>, in signer (ascending witness) order.
/// </summary>
public sealed record BlockRewardRecipients(Address Proposer, Hash32? ProposerNodeKey, Address[] LastCommitSigners)
{
    /// <summary>Everything to one address (no voter share, no signer share): the rule before DPoS.</summary>
    public static BlockRewardRecipients ProposerOnly(in Address proposer) => new(proposer, null, []);
}
