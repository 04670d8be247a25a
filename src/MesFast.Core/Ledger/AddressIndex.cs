using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// Owner → live outpoints, in memory (derived data: rebuilt from the shard stores on open, kept in step with each
/// applied or reverted block). Readers take a snapshot under the lock; a query racing a block sees the state
/// before or after that block's index update.
/// </summary>
internal sealed class AddressIndex
{
    private readonly Dictionary<Address, HashSet<TxInput>> _byOwner = [];
    private readonly Lock _lock = new();

    public void Add(in Address owner, in TxInput outpoint)
    {
        lock (_lock)
        {
            if (!_byOwner.TryGetValue(owner, out var set)) _byOwner[owner] = set = [];
            set.Add(outpoint);
        }
    }

    public void Remove(in Address owner, in TxInput outpoint)
    {
        lock (_lock)
        {
            if (_byOwner.TryGetValue(owner, out var set) && set.Remove(outpoint) && set.Count == 0) _byOwner.Remove(owner);
        }
    }

    public TxInput[] Outpoints(in Address owner)
    {
        lock (_lock)
        {
            return _byOwner.TryGetValue(owner, out var set) ? [.. set] : [];
        }
    }
}
