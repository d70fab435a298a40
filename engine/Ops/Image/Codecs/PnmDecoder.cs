namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// Netpbm P1–P6: bitmaps (1 = black), gray maps and pixmaps, plain (ASCII) or raw. Samples with a maxval other than
/// 255 are rescaled to 0..255 (rounded); 16-bit raw samples are big-endian.
/// </summary>
internal static class PnmDecoder
{
    private const string Format = "PNM";

    public static bool Matches(ReadOnlySpan<byte> d) => d.Length >= 2 && d[0] == 'P' && d[1] is >= (byte)'1' and <= (byte)'6';

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        int kind = d[1] - '0';
        bool bitmap = kind is 1 or 4, plain = kind <= 3;
        int channels = kind is 3 or 6 ? 3 : 1;
        int pos = 2;
        long width = ReadHeaderNumber(d, ref pos), height = ReadHeaderNumber(d, ref pos);
        long maxval = bitmap ? 1 : ReadHeaderNumber(d, ref pos);
        if (maxval is < 1 or > 65535) throw new ImageDecodeException($"{Format}: maxval {maxval} is out of range.");
        DecodedImage.CheckDimensions(width, height, Format);
        // Every sample takes at least one byte (plain) or its packed size (raw): refuse truncated files before allocating.
        long minBytes = plain ? width * height * channels : bitmap ? (width + 7) / 8 * height : width * height * channels * (maxval > 255 ? 2 : 1);
        if (minBytes > d.Length - pos) throw new ImageDecodeException($"{Format}: the file is truncated ({width}x{height} needs at least {minBytes} bytes of samples).");
        var img = DecodedImage.Create(width, height, channels, Format);
        var px = img.Pixels;

        if (plain)
        {
            for (int i = 0; i < px.Length; i++)
            {
                long v = bitmap ? ReadBit(d, ref pos) : ReadNumber(d, ref pos);
                px[i] = bitmap ? (byte)(v == 0 ? 255 : 0) : Scale(Math.Min(v, maxval), maxval);
            }
            return img;
        }

        pos++; // the single whitespace byte after the header
        if (bitmap)
        {
            long stride = (width + 7) / 8;
            var src = ImageBytes.Slice(d, pos, stride * height, Format);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    px[y * width + x] = (byte)((src[(int)(y * stride + x / 8)] >> (7 - x % 8) & 1) == 0 ? 255 : 0);
            return img;
        }

        int sampleBytes = maxval > 255 ? 2 : 1;
        var raw = ImageBytes.Slice(d, pos, (long)px.Length * sampleBytes, Format);
        for (int i = 0; i < px.Length; i++)
        {
            long v = sampleBytes == 1 ? raw[i] : raw[2 * i] << 8 | raw[2 * i + 1];
            px[i] = Scale(Math.Min(v, maxval), maxval);
        }
        return img;
    }

    private static byte Scale(long v, long maxval) => (byte)(maxval == 255 ? v : (v * 255 + maxval / 2) / maxval);

    private static void SkipSpaceAndComments(ReadOnlySpan<byte> d, ref int pos)
    {
        while (pos < d.Length)
        {
            if (d[pos] == '#')
                while (pos < d.Length && d[pos] != '\n' && d[pos] != '\r') pos++;
            else if (d[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C) pos++;
            else return;
        }
    }

    private static long ReadHeaderNumber(ReadOnlySpan<byte> d, ref int pos)
    {
        long v = ReadNumber(d, ref pos);
        if (pos < d.Length && d[pos] is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C or (byte)'#'))
            throw new ImageDecodeException($"{Format}: malformed header.");
        return v;
    }

    private static long ReadNumber(ReadOnlySpan<byte> d, ref int pos)
    {
        SkipSpaceAndComments(d, ref pos);
        int start = pos;
        long v = 0;
        while (pos < d.Length && d[pos] is >= (byte)'0' and <= (byte)'9')
        {
            v = v * 10 + (d[pos++] - '0');
            if (v > int.MaxValue) throw new ImageDecodeException($"{Format}: number too large.");
        }
        if (pos == start) throw new ImageDecodeException($"{Format}: expected a number at byte {pos} (truncated or malformed file).");
        return v;
    }

    /// <summary>Plain bitmaps may run their 0/1 digits together.</summary>
    private static long ReadBit(ReadOnlySpan<byte> d, ref int pos)
    {
        SkipSpaceAndComments(d, ref pos);
        if (pos >= d.Length || d[pos] is not ((byte)'0' or (byte)'1'))
            throw new ImageDecodeException($"{Format}: expected a 0 or 1 at byte {pos} (truncated or malformed file).");
        return d[pos++] - '0';
    }
}
