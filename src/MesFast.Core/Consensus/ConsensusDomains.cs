using MesFast.Crypto;

namespace MesFast.Core.Consensus;

/// <summary>
/// Hash domains of the view-change signatures (PROTOCOL §1, §10). Kept here, like <c>lthash</c> and <c>commit</c>,
/// because <see cref="DomainHash"/> belongs to the crypto component.
/// </summary>
public static class ConsensusDomains
{
    /// <summary>Context <c>"mes/view-change/v1"</c>.</summary>
    public static readonly Blake3Key ViewChange = DomainHash.ForTag("view-change");

    /// <summary>Context <c>"mes/new-view/v1"</c>.</summary>
    public static readonly Blake3Key NewView = DomainHash.ForTag("new-view");
}
