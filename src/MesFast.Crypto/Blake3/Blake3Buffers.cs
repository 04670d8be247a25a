using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>Eight 32-bit words: a key or a chaining value, held inline.</summary>
[InlineArray(8)]
internal struct Blake3Words
{
    private uint _element0;
}

/// <summary>One 64-byte message block, held inline.</summary>
[InlineArray(Blake3Constants.BlockLength)]
internal struct Blake3Block
{
    private byte _element0;
}

/// <summary>The chaining-value stack of an incremental hasher: one CV per tree level.</summary>
[InlineArray(Blake3Constants.MaxDepth * 8)]
internal struct Blake3CvStack
{
    private uint _element0;
}
