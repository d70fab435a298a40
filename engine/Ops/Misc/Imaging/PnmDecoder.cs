namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>Netpbm: P2/P5 (gray) and P3/P6 (RGB), ASCII or binary, any maxval up to 65535 (scaled to 8 bits).</summary>
internal static class PnmDecoder
{
    public static bool Matches(byte[] d) => d.Length >= 2 && d[0] == 'P' && d[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6';

    public static DecodedImage Decode(byte[] data)
    {
        char kind = (char)data[1];
        int at = 2;
        int width = Number(data, ref at), height = Number(data, ref at), maxval = Number(data, ref at);
        if (maxval is < 1 or > 65535) throw new InvalidDataException($"PNM: maxval {maxval} is out of range.");
        int channels = kind is '3' or '6' ? 3 : 1;
        var img = new DecodedImage(width, height, channels);
        bool binary = kind is '5' or '6';
        at++; // the single whitespace after maxval
        int bytesPer = maxval > 255 ? 2 : 1;
        for (int i = 0; i < img.Pixels.Length; i++)
        {
            int v;
            if (binary)
            {
                if (at + bytesPer > data.Length) throw BinaryCursor.Truncated();
                v = bytesPer == 2 ? data[at] << 8 | data[at + 1] : data[at];
                at += bytesPer;
            }
            else
            {
                v = Number(data, ref at);
            }
            img.Pixels[i] = (byte)(maxval == 255 ? Math.Min(v, 255) : Math.Min(255, (v * 255 + maxval / 2) / maxval));
        }
        return img;
    }

    /// <summary>The next ASCII decimal number, skipping whitespace and # comments.</summary>
    private static int Number(byte[] d, ref int at)
    {
        while (at < d.Length && (char.IsWhiteSpace((char)d[at]) || d[at] == '#'))
        {
            if (d[at] == '#') while (at < d.Length && d[at] != '\n') at++;
            else at++;
        }
        long v = 0;
        int start = at;
        while (at < d.Length && d[at] >= '0' && d[at] <= '9')
        {
            v = v * 10 + (d[at++] - '0');
            if (v > int.MaxValue) throw new InvalidDataException("PNM: number too large.");
        }
        if (at == start) throw new InvalidDataException("PNM: malformed header.");
        return (int)v;
    }
}
