using MesFast.Core.Codec;
using MesFast.Core.Types;

namespace MesFast.Core.Tests;

/// <summary>One encoded object type, seen uniformly by the truncation and mutation tests.</summary>
internal abstract class CodecUnderTest
{
    public abstract string Name { get; }

    /// <summary>A random valid encoding.</summary>
    public abstract byte[] RandomValid(RandomObjects rnd);

    /// <summary>Decodes strictly; on success returns the model's re-encoding.</summary>
    public abstract bool TryDecodeAndReencode(byte[] bytes, out byte[]? reencoded, out DecodeFailure failure);

    public override string ToString() => Name;

    public static readonly CodecUnderTest Tx = new TxCodec();

    private sealed class TxCodec : CodecUnderTest
    {
        public override string Name => "tx";

        public override byte[] RandomValid(RandomObjects rnd) => rnd.Transaction().ToBytes();

        public override bool TryDecodeAndReencode(byte[] bytes, out byte[]? reencoded, out DecodeFailure failure)
        {
            reencoded = null;
            if (!TxView.TryDecode(bytes, out var view, out failure)) return false;
            reencoded = Transaction.FromView(view).ToBytes();
            return true;
        }
    }

    public static readonly CodecUnderTest Header = new HeaderCodec();

    public static readonly CodecUnderTest Certificate = new CertificateCodec();

    public static readonly CodecUnderTest Block = new BlockCodec();

    private sealed class HeaderCodec : CodecUnderTest
    {
        public override string Name => "header";

        public override byte[] RandomValid(RandomObjects rnd) => rnd.Header().ToBytes();

        public override bool TryDecodeAndReencode(byte[] bytes, out byte[]? reencoded, out DecodeFailure failure)
        {
            reencoded = null;
            if (!HeaderView.TryDecode(bytes, out var view, out failure)) return false;
            reencoded = BlockHeader.FromView(view).ToBytes();
            return true;
        }
    }

    private sealed class CertificateCodec : CodecUnderTest
    {
        public override string Name => "cert";

        public override byte[] RandomValid(RandomObjects rnd) => rnd.Certificate().ToBytes();

        public override bool TryDecodeAndReencode(byte[] bytes, out byte[]? reencoded, out DecodeFailure failure)
        {
            reencoded = null;
            if (!CommitCertView.TryDecode(bytes, out var view, out failure)) return false;
            reencoded = CommitCertificate.FromView(view).ToBytes();
            return true;
        }
    }

    private sealed class BlockCodec : CodecUnderTest
    {
        public override string Name => "block";

        public override byte[] RandomValid(RandomObjects rnd) => rnd.Block().ToBytes();

        public override bool TryDecodeAndReencode(byte[] bytes, out byte[]? reencoded, out DecodeFailure failure)
        {
            reencoded = null;
            if (!BlockView.TryDecode(bytes, out var view, out failure)) return false;
            reencoded = Types.Block.FromView(view).ToBytes();
            return true;
        }
    }
}
