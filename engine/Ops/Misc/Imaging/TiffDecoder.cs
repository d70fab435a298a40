namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>
/// Baseline TIFF (first image): 8-bit chunky gray, RGB(A) or palette strips, uncompressed or PackBits.
/// </summary>
internal static class TiffDecoder
{
    public static bool Matches(byte[] d) =>
        d.Length >= 4 && (d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0 || d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42);

    public static DecodedImage Decode(byte[] data)
    {
        var c = new BinaryCursor(data, bigEndian: data[0] == 'M');
        long ifd = c.U32(4);
        int count = c.U16(ifd);
        var tags = new Dictionary<int, long[]>();
        for (int i = 0; i < count; i++)
        {
            long e = ifd + 2 + 12L * i;
            int tag = c.U16(e), type = c.U16(e + 2);
            long n = c.U32(e + 4);
            int size = type switch { 3 => 2, 4 => 4, 1 => 1, _ => 0 };
            if (size == 0 || n > data.Length) continue;
            long valuesAt = n * size <= 4 ? e + 8 : c.U32(e + 8);
            var values = new long[n];
            for (int k = 0; k < n; k++)
                values[k] = size switch { 2 => c.U16(valuesAt + 2L * k), 4 => c.U32(valuesAt + 4L * k), _ => c.U8(valuesAt + k) };
            tags[tag] = values;
        }
        long Tag(int t, long fallback = -1) => tags.TryGetValue(t, out var v) && v.Length > 0 ? v[0] : fallback;
        int width = (int)Tag(256), height = (int)Tag(257);
        int spp = (int)Tag(277, 1);
        long compression = Tag(259, 1), photometric = Tag(262, 2), planar = Tag(284, 1);
        if (tags.TryGetValue(258, out var bits) && bits.Any(b => b != 8))
            throw new NotSupportedException("TIFF: only 8-bit samples are supported.");
        if (compression is not (1 or 32773)) throw new NotSupportedException($"TIFF: compression {compression} is not supported.");
        if (planar != 1) throw new NotSupportedException("TIFF: planar configuration 2 is not supported.");
        if (photometric is not (0 or 1 or 2 or 3)) throw new NotSupportedException($"TIFF: photometric interpretation {photometric} is not supported.");
        var offsets = tags.GetValueOrDefault(273) ?? throw new InvalidDataException("TIFF: no StripOffsets.");
        var lengths = tags.GetValueOrDefault(279) ?? throw new InvalidDataException("TIFF: no StripByteCounts.");
        using var pixels = new MemoryStream();
        for (int s = 0; s < offsets.Length && s < lengths.Length; s++)
        {
            var strip = c.Slice(offsets[s], lengths[s]);
            if (compression == 1) pixels.Write(strip);
            else UnpackBits(strip, pixels);
        }
        var raw = pixels.GetBuffer();
        bool gray = photometric is 0 or 1;
        var img = new DecodedImage(width, height, gray ? 1 : 3);
        long needed = (long)width * height * spp;
        if (pixels.Length < needed) throw BinaryCursor.Truncated();
        var map = photometric == 3 ? tags.GetValueOrDefault(320) ?? throw new InvalidDataException("TIFF: palette image without ColorMap.") : null;
        for (long p = 0; p < (long)width * height; p++)
        {
            long src = p * spp;
            if (gray)
            {
                img.Pixels[p] = photometric == 0 ? (byte)(255 - raw[src]) : raw[src];
            }
            else if (map is not null)
            {
                int idx = raw[src];
                int colors = map.Length / 3;
                if (idx >= colors) throw new InvalidDataException($"TIFF: palette index {idx} is out of range.");
                for (int ch = 0; ch < 3; ch++) img.Pixels[p * 3 + ch] = (byte)(map[ch * colors + idx] >> 8);
            }
            else
            {
                for (int ch = 0; ch < 3; ch++) img.Pixels[p * 3 + ch] = raw[src + ch];
            }
        }
        return img;
    }

    private static void UnpackBits(ReadOnlySpan<byte> s, MemoryStream output)
    {
        int i = 0;
        while (i < s.Length)
        {
            int n = (sbyte)s[i++];
            if (n >= 0)
            {
                int take = Math.Min(n + 1, s.Length - i);
                output.Write(s.Slice(i, take));
                i += take;
            }
            else if (n != -128 && i < s.Length)
            {
                for (int k = 0; k < 1 - n; k++) output.WriteByte(s[i]);
                i++;
            }
        }
    }
}
