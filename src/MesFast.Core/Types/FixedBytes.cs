using System.Runtime.CompilerServices;

namespace MesFast.Core.Types;

/// <summary>Inline storage for a 32-byte public key.</summary>
[InlineArray(32)]
internal struct Bytes32Buffer
{
    private byte _element0;
}

/// <summary>Inline storage for a 64-byte signature.</summary>
[InlineArray(64)]
internal struct Bytes64Buffer
{
    private byte _element0;
}
