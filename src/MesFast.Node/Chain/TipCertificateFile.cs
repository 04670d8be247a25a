using System.Diagnostics.CodeAnalysis;
using MesFast.Core.Types;
using MesFast.Node.Config;

namespace MesFast.Node.Chain;

/// <summary>The newest final block's commit certificate on disk (its encoding), replaced atomically after each block.</summary>
internal static class TipCertificateFile
{
    public const string FileName = "tip-certificate.bin";

    public static void Write(string path, CommitCertificate certificate) =>
        JsonFiles.WriteAtomically(path, certificate.ToBytes(), secret: false);

    public static bool TryRead(string path, [NotNullWhen(true)] out CommitCertificate? certificate)
    {
        certificate = null;
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024) return false;
            return CommitCertificate.TryDecode(File.ReadAllBytes(path), out certificate, out _);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
