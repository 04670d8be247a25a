using System.Globalization;
using System.Text;

namespace MesFast.Core.Codec;

/// <summary>
/// The first error found while decoding: what, where (byte offset from the start of the decoded buffer) and in which
/// field. The path is kept as constant strings plus indices so that recording it allocates nothing; the text
/// (e.g. <c>txs[2].inputs[3].index: truncated at offset 112</c>) is built only by <see cref="ToString"/>.
/// </summary>
public readonly record struct DecodeFailure(
    DecodeError Error,
    int Offset,
    string Field,
    int Index = -1,
    string? Member = null,
    string? Outer = null,
    int OuterIndex = -1)
{
    /// <summary>True when this value describes an actual failure.</summary>
    public bool IsFailure => Error != DecodeError.None;

    /// <summary>The field path alone, e.g. <c>txs[2].inputs[3].index</c>.</summary>
    public string Path
    {
        get
        {
            var sb = new StringBuilder();
            if (Outer is not null)
            {
                sb.Append(Outer);
                if (OuterIndex >= 0) sb.Append('[').Append(OuterIndex.ToString(CultureInfo.InvariantCulture)).Append(']');
                sb.Append('.');
            }
            sb.Append(Field);
            if (Index >= 0) sb.Append('[').Append(Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            if (Member is not null) sb.Append('.').Append(Member);
            return sb.ToString();
        }
    }

    public override string ToString() =>
        Error == DecodeError.None
            ? "ok"
            : string.Create(CultureInfo.InvariantCulture, $"{Path}: {DecodeErrorText.Describe(Error)} at offset {Offset}");
}
