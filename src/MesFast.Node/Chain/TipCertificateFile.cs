using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Types;
using MesFast.Crypto;

namespace MesFast.Node.Chain;

/// <summary>
/// The tip's commit certificate as block logs of earlier versions kept it: <c>blocks/tip-certificate.bin</c>, replaced
/// after each final block. Read on recovery when the tip's log entry has no certificate; never written (certificates
/// now live in the block log's entries, durable with their blocks).
/// </summary>
internal static class TipCertificateFile
{
    public const string FileName = "tip-certificate.bin";

    /// <summary>The stored certificate of block <paramref name="height"/> with hash <paramref name="blockHash"/>, if there is one.</summary>
    public static bool TryRead(string blocksDir, ulong height, in Hash32 blockHash, [NotNullWhen(true)] out CommitCertificate? certificate)
    {
        certificate = null;
        string path = Path.Combine(blocksDir, FileName);
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024) return false;
            if (!CommitCertificate.TryDecode(File.ReadAllBytes(path), out certificate, out _)) return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (certificate.Height == height && certificate.Block == blockHash) return true;
        certificate = null;
        return false;
    }
}
