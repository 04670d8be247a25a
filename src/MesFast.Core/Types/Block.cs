using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Codec;
using MesFast.Crypto;

namespace MesFast.Core.Types;

/// <summary>An owned block (DESIGN §4); layout in <see cref="BlockView"/>.</summary>
public sealed class Block
{
    public required BlockHeader Header { get; init; }
    public Transaction[] Transactions { get; init; } = [];
    /// <summary>The certificate of height − 1.</summary>
    public required CommitCertificate LastCommit { get; init; }

    public int EncodedLength
    {
        get
        {
            int length = HeaderView.EncodedSize + Varint.SizeOf(Transactions.Length) + LastCommit.EncodedLength;
            foreach (var tx in Transactions) length += tx.EncodedLength;
            return length;
        }
    }

    public int Encode(Span<byte> destination)
    {
        var writer = new CodecWriter(destination);
        Header.WriteTo(ref writer);
        writer.WriteVarint(Transactions.Length);
        foreach (var tx in Transactions) tx.WriteTo(ref writer);
        LastCommit.WriteTo(ref writer);
        return writer.Offset;
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        int length = EncodedLength;
        Encode(output.GetSpan(length));
        output.Advance(length);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Length of a block made of <paramref name="txEncodings"/> (<see cref="Encode(BlockHeader, ReadOnlySpan{byte[]}, CommitCertificate)"/>).</summary>
    public static int EncodedLengthOf(ReadOnlySpan<byte[]> txEncodings, CommitCertificate lastCommit)
    {
        int length = HeaderView.EncodedSize + Varint.SizeOf(txEncodings.Length) + lastCommit.EncodedLength;
        foreach (byte[] tx in txEncodings) length += tx.Length;
        return length;
    }

    /// <summary>
    /// Encodes a block from transactions already in their canonical encoding (a pool admits only those): the block
    /// builder's path, with no transaction decoded into objects and encoded again.
    /// </summary>
    public static byte[] Encode(BlockHeader header, ReadOnlySpan<byte[]> txEncodings, CommitCertificate lastCommit)
    {
        var bytes = new byte[EncodedLengthOf(txEncodings, lastCommit)];
        var writer = new CodecWriter(bytes);
        header.WriteTo(ref writer);
        writer.WriteVarint(txEncodings.Length);
        foreach (byte[] tx in txEncodings) writer.WriteBytes(tx);
        lastCommit.WriteTo(ref writer);
        return bytes;
    }

    /// <summary>Block hash = <c>H(header, header encoding)</c> (DESIGN §4).</summary>
    public Hash32 ComputeHash() => Header.ComputeHash();

    public static Block FromView(BlockView view)
    {
        var txs = new Transaction[view.TxCount];
        int i = 0;
        foreach (var tx in view.Transactions) txs[i++] = Transaction.FromView(tx);
        return new Block
        {
            Header = BlockHeader.FromView(view.Header),
            Transactions = txs,
            LastCommit = CommitCertificate.FromView(view.LastCommit),
        };
    }

    public static bool TryDecode(ReadOnlySpan<byte> encoding, [NotNullWhen(true)] out Block? block, out DecodeFailure failure)
    {
        block = BlockView.TryDecode(encoding, out var view, out failure) ? FromView(view) : null;
        return block is not null;
    }
}
