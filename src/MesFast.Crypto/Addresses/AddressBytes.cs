using System.Runtime.CompilerServices;

namespace MesFast.Crypto;

/// <summary>The 20 bytes of an <see cref="Address"/>, inline (no heap object per address).</summary>
[InlineArray(Address.Size)]
internal struct AddressBytes
{
    private byte _element0;
}
