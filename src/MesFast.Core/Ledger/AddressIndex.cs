using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// Owner → live outpoints, in memory (derived data: rebuilt from the shard stores on open, kept in step with each
/// applied or reverted block). Striped by owner so the per-shard apply threads rarely meet on a lock. Readers
/// take a snapshot of one owner under its stripe's lock; a query racing a block sees that owner's outputs before
/// or after each change of the block.
/// </summary>
internal sealed class AddressIndex
{
    private const int Stripes = 64;

    private readonly Dictionary<Address, HashSet<TxInput>>[] _byOwner = new Dictionary<Address, HashSet<TxInput>>[Stripes];

    // System.Threading.Lock, not Monitor on the dictionaries: its uncontended path stays in managed code, where a
    // Monitor enter/exit is a runtime call (thread lookup through dynamic TLS) on every output created or spent.
    private readonly Lock[] _locks = new Lock[Stripes];

    public AddressIndex()
    {
        for (int i = 0; i < Stripes; i++)
        {
            _byOwner[i] = [];
            _locks[i] = new Lock();
        }
    }

    public void Add(in Address owner, in TxInput outpoint)
    {
        int i = StripeOf(owner);
        var stripe = _byOwner[i];
        lock (_locks[i])
        {
            if (!stripe.TryGetValue(owner, out var set)) stripe[owner] = set = [];
            set.Add(outpoint);
        }
    }

    public void Remove(in Address owner, in TxInput outpoint)
    {
        int i = StripeOf(owner);
        var stripe = _byOwner[i];
        lock (_locks[i])
        {
            if (stripe.TryGetValue(owner, out var set) && set.Remove(outpoint) && set.Count == 0) stripe.Remove(owner);
        }
    }

    public TxInput[] Outpoints(in Address owner)
    {
        int i = StripeOf(owner);
        var stripe = _byOwner[i];
        lock (_locks[i])
        {
            return stripe.TryGetValue(owner, out var set) ? [.. set] : [];
        }
    }

    // Addresses are hash outputs: any byte is uniformly distributed.
    private static int StripeOf(in Address owner) => owner.Span[0] % Stripes;
}
