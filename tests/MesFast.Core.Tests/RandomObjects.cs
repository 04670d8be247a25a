using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Core.Tests;

/// <summary>Random valid protocol objects from a seeded generator (small sizes, so tests stay fast).</summary>
internal sealed class RandomObjects(Random random)
{
    public Hash32 Hash()
    {
        Span<byte> b = stackalloc byte[Hash32.Size];
        random.NextBytes(b);
        return new Hash32(b);
    }

    public Address Address()
    {
        Span<byte> b = stackalloc byte[Crypto.Address.Size];
        random.NextBytes(b);
        return new Address(b);
    }

    public Signature64 Signature()
    {
        Span<byte> b = stackalloc byte[Signature64.Size];
        random.NextBytes(b);
        return new Signature64(b);
    }

    public PublicKey32 PublicKey()
    {
        Span<byte> b = stackalloc byte[PublicKey32.Size];
        random.NextBytes(b);
        return new PublicKey32(b);
    }

    /// <summary>Sometimes a small value, sometimes a huge one, so every byte of fixed-width fields varies.</summary>
    public ulong U64() => random.Next(3) == 0 ? (ulong)random.Next(200) : (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);

    public uint U32() => (uint)U64();

    /// <summary>A count biased towards values whose varint is 1 or 2 bytes.</summary>
    public int Count(int max) => random.Next(4) == 0 ? random.Next(Math.Min(max, 200) + 1) : random.Next(Math.Min(max, 4) + 1);

    public Transaction Transaction(int maxItems = 4)
    {
        var inputs = new TxInput[Count(maxItems)];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = new TxInput(Hash(), (ushort)random.Next(65536));
        var outputs = new TxOutput[Count(maxItems)];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = new TxOutput(Hash(), U64(), Address());
        var payload = new byte[random.Next(3) == 0 ? random.Next(300) : random.Next(8)];
        random.NextBytes(payload);
        var witnesses = new TxWitness[Count(maxItems)];
        for (int i = 0; i < witnesses.Length; i++) witnesses[i] = new TxWitness(PublicKey(), Signature());
        return new Transaction
        {
            ChainId = U32(),
            Kind = (TxKind)random.Next(TxKinds.Count),
            ValidUntil = U64(),
            Inputs = inputs,
            Outputs = outputs,
            Payload = payload,
            Witnesses = witnesses,
        };
    }

    public BlockHeader Header() => new()
    {
        ChainId = U32(),
        Height = U64(),
        TimeMs = U64(),
        Epoch = U32(),
        View = U32(),
        Prev = Hash(),
        TxRoot = Hash(),
        StateRoot = Hash(),
        WitnessSetHash = Hash(),
        Proposer = (ushort)random.Next(65536),
        NextWitnessCount = (ushort)random.Next(65536),
        LastCommitHash = Hash(),
    };

    public CommitCertificate Certificate()
    {
        var signers = new bool[random.Next(5) == 0 ? random.Next(ProtocolLimits.MaxWitnessCount + 1) : random.Next(40)];
        int density = random.Next(1, 4);
        int count = 0;
        for (int i = 0; i < signers.Length; i++)
        {
            signers[i] = random.Next(density + 1) != 0;
            if (signers[i]) count++;
        }
        // Big bitmaps get few signatures so the encodings (and the every-prefix tests) stay small.
        if (signers.Length > 64)
        {
            Array.Clear(signers);
            count = 0;
            for (int n = random.Next(4); n > 0; n--) signers[random.Next(signers.Length)] = true;
            foreach (bool s in signers) if (s) count++;
        }
        var signatures = new Signature64[count];
        for (int k = 0; k < count; k++) signatures[k] = Signature();
        return new CommitCertificate { Height = U64(), View = U32(), Block = Hash(), Signers = signers, Signatures = signatures };
    }

    public Block Block()
    {
        var txs = new Transaction[random.Next(4)];
        for (int i = 0; i < txs.Length; i++) txs[i] = Transaction(maxItems: 2);
        return new Block { Header = Header(), Transactions = txs, LastCommit = Certificate() };
    }
}
