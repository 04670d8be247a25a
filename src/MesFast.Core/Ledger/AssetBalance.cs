using MesFast.Crypto;

namespace MesFast.Core.Ledger;

/// <summary>
/// Per-asset sums of one transaction's inputs and outputs, in caller-provided scratch (no allocation). A
/// transaction has at most 256 inputs and 256 outputs, so at most 512 distinct assets.
/// </summary>
internal ref struct AssetBalance
{
    private readonly Span<Hash32> _assets;
    private readonly Span<ulong> _in;
    private readonly Span<ulong> _out;
    private int _count;

    public AssetBalance(Span<Hash32> assets, Span<ulong> inSums, Span<ulong> outSums)
    {
        _assets = assets;
        _in = inSums;
        _out = outSums;
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly Hash32 Asset(int i) => _assets[i];

    public readonly ulong In(int i) => _in[i];

    public readonly ulong Out(int i) => _out[i];

    /// <summary>Adds to the input side; false on ulong overflow.</summary>
    public bool AddIn(in Hash32 asset, ulong amount) => Add(asset, amount, input: true);

    /// <summary>Adds to the output side; false on ulong overflow.</summary>
    public bool AddOut(in Hash32 asset, ulong amount) => Add(asset, amount, input: false);

    private bool Add(in Hash32 asset, ulong amount, bool input)
    {
        int i = 0;
        while (i < _count && _assets[i] != asset) i++;
        if (i == _count)
        {
            _assets[i] = asset;
            _in[i] = 0;
            _out[i] = 0;
            _count++;
        }
        ref ulong sum = ref input ? ref _in[i] : ref _out[i];
        if (ulong.MaxValue - sum < amount) return false;
        sum += amount;
        return true;
    }
}
