namespace MesFast.Crypto.Tests;

/// <summary>A straight transcription of the BIP-173 reference encoder (constant 1), to build bech32 (not bech32m) strings.</summary>
internal static class Bech32Reference
{
    public static string EncodeBip173(string hrp, byte[] data)
    {
        var values = new List<int>();
        foreach (char c in hrp) values.Add(c >> 5);
        values.Add(0);
        foreach (char c in hrp) values.Add(c & 31);
        foreach (byte b in data) values.Add(b);
        values.AddRange([0, 0, 0, 0, 0, 0]);
        uint pm = Polymod(values) ^ 1;
        var sb = new System.Text.StringBuilder(hrp).Append('1');
        foreach (byte b in data) sb.Append(Bech32m.Charset[b]);
        for (int i = 0; i < 6; i++) sb.Append(Bech32m.Charset[(int)((pm >> (5 * (5 - i))) & 31)]);
        return sb.ToString();
    }

    private static uint Polymod(List<int> values)
    {
        uint[] gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (int v in values)
        {
            uint b = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ (uint)v;
            for (int i = 0; i < 5; i++) if (((b >> i) & 1) != 0) chk ^= gen[i];
        }
        return chk;
    }
}
