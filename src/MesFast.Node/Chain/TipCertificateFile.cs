using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>
/// The newest final blocks' commit certificates on disk. A block's certificate travels in the next block, so the
/// tip's own lives here: two slot files (by height parity), each the certificate's encoding ‖ its BLAKE3 hash,
/// written in place and flushed to disk <b>before</b> the block log commits that block. Whatever moment a crash hits,
/// the log's tip has its certificate: before the log commit the other slot still holds the previous tip's; a torn
/// slot fails its hash. (One file replaced after the log commit left a window in which a killed witness restarted
/// with its tip block but without its certificate, and could not start.)
/// </summary>
internal static class TipCertificateFile
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>The one-file layout of earlier versions (read, never written).</summary>
    public const string LegacyFileName = "tip-certificate.bin";

    public static string SlotPath(string blocksDir, ulong height) => Path.Combine(blocksDir, $"tip-certificate-{height & 1}.bin");

    public static void Write(string blocksDir, CommitCertificate certificate)
    {
        byte[] encoding = certificate.ToBytes();
        var content = new byte[encoding.Length + Hash32.Size];
        encoding.CopyTo(content, 0);
        Blake3.Hash(encoding).CopyTo(content.AsSpan(encoding.Length));
        using var stream = new FileStream(SlotPath(blocksDir, certificate.Height), FileMode.OpenOrCreate, FileAccess.Write);
        stream.Write(content);
        stream.SetLength(content.Length);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The stored certificate of block <paramref name="height"/> with hash <paramref name="blockHash"/>, if intact.</summary>
    public static bool TryRead(string blocksDir, ulong height, in Hash32 blockHash, [NotNullWhen(true)] out CommitCertificate? certificate)
    {
        if (TryReadFile(SlotPath(blocksDir, height), hashed: true, out certificate) && certificate.Height == height && certificate.Block == blockHash)
            return true;
        if (TryReadFile(Path.Combine(blocksDir, LegacyFileName), hashed: false, out certificate) && certificate.Height == height && certificate.Block == blockHash)
            return true;
        certificate = null;
        return false;
    }

    private static bool TryReadFile(string path, bool hashed, [NotNullWhen(true)] out CommitCertificate? certificate)
    {
        certificate = null;
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > MaxBytes) return false;
            ReadOnlySpan<byte> content = File.ReadAllBytes(path);
            if (hashed)
            {
                if (content.Length < Hash32.Size) return false;
                var encoding = content[..^Hash32.Size];
                if (!Blake3.Hash(encoding).Span.SequenceEqual(content[^Hash32.Size..])) return false;
                content = encoding;
            }
            return CommitCertificate.TryDecode(content, out certificate, out _);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
