namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// Baseline TIFF (first image only): strips or tiles, chunky or planar, uncompressed, PackBits, LZW or Deflate, with
/// or without horizontal prediction; bilevel/gray (WhiteIsZero or BlackIsZero, 1–16 bits), palette and RGB (8/16
/// bits). Extra samples (alpha) are dropped; 16-bit samples keep their high byte.
/// </summary>
internal static class TiffDecoder
{
    private const string Format = "TIFF";

    public static bool Matches(ReadOnlySpan<byte> d) =>
        d.Length >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42));

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        var f = new TiffFields(d);
        long width = f.Scalar(256), height = f.Scalar(257);
        DecodedImage.CheckDimensions(width, height, Format);
        int spp = (int)f.Scalar(277, 1);
        long[] bitsList = f.Values(258, [1]);
        int bits = (int)bitsList[0];
        int compression = (int)f.Scalar(259, 1), photometric = (int)f.Scalar(262, -1), planar = (int)f.Scalar(284, 1);
        int predictor = (int)f.Scalar(317, 1);
        if (spp is < 1 or > 16) throw new ImageDecodeException($"{Format}: {spp} samples per pixel.");
        foreach (long b in bitsList)
            if (b != bits) throw new NotSupportedException($"{Format}: samples of different bit depths are not supported.");
        if (bits is not (1 or 2 or 4 or 8 or 16)) throw new NotSupportedException($"{Format}: {bits}-bit samples are not supported.");
        if (f.Scalar(339, 1) != 1) throw new NotSupportedException($"{Format}: only unsigned integer samples are supported.");
        if (photometric == -1) photometric = spp >= 3 ? 2 : 1;
        int colorSamples = photometric switch
        {
            0 or 1 or 3 => 1,
            2 => 3,
            _ => throw new NotSupportedException($"{Format}: photometric interpretation {photometric} is not supported."),
        };
        if (spp < colorSamples) throw new ImageDecodeException($"{Format}: {spp} samples per pixel for photometric {photometric}.");
        if (colorSamples == 3 && bits < 8) throw new NotSupportedException($"{Format}: RGB with {bits}-bit samples is not supported.");
        if (predictor is not (1 or 2)) throw new NotSupportedException($"{Format}: predictor {predictor} is not supported.");

        int planes = planar == 2 ? spp : 1;
        int samplesPerPlanePixel = planar == 2 ? 1 : spp;
        var planeData = new byte[planes][];
        long rowBytes = (width * samplesPerPlanePixel * bits + 7) / 8;
        // The best expansion each compression can reach bounds the image a file of this length can hold.
        long maxRatio = compression switch { 1 => 1, 32773 => 64, 5 => 2731, _ => 1032 };
        if (rowBytes * height * planes / maxRatio > d.Length)
            throw new ImageDecodeException($"{Format}: a {d.Length}-byte file cannot hold a {width}x{height} image (truncated or corrupt).");
        for (int p = 0; p < planes; p++) planeData[p] = DecodedImage.Buffer(rowBytes * height, Format);

        var chunk = new TiffChunkReader(f.Data, compression, predictor, bits, samplesPerPlanePixel, f.LittleEndian);
        if (f.Has(322))
        {
            long tw = f.Scalar(322), th = f.Scalar(323);
            if (tw <= 0 || th <= 0 || tw > DecodedImage.MaxDimension || th > DecodedImage.MaxDimension)
                throw new ImageDecodeException($"{Format}: invalid tile size {tw}x{th}.");
            long across = (width + tw - 1) / tw, down = (height + th - 1) / th;
            long[] offsets = f.Values(324), counts = f.Values(325);
            long tileRowBytes = (tw * samplesPerPlanePixel * bits + 7) / 8;
            if (offsets.Length < across * down * planes || counts.Length < offsets.Length)
                throw new ImageDecodeException($"{Format}: {offsets.Length} tiles where {across * down * planes} are needed.");
            var tile = DecodedImage.Buffer(tileRowBytes * th, Format);
            for (int p = 0; p < planes; p++)
                for (long ty = 0; ty < down; ty++)
                    for (long tx = 0; tx < across; tx++)
                    {
                        long i = (p * down + ty) * across + tx;
                        chunk.Read(offsets[i], counts[i], tile, tileRowBytes);
                        long x0Bytes = tx * tileRowBytes, copy = Math.Min(tileRowBytes, rowBytes - x0Bytes);
                        for (long r = 0; r < th && ty * th + r < height; r++)
                            tile.AsSpan((int)(r * tileRowBytes), (int)copy)
                                .CopyTo(planeData[p].AsSpan((int)((ty * th + r) * rowBytes + x0Bytes)));
                    }
        }
        else
        {
            long rps = Math.Clamp(f.Scalar(278, height), 1, height);
            long stripsPerPlane = (height + rps - 1) / rps;
            long[] offsets = f.Values(273);
            long[] counts = f.Has(279) ? f.Values(279) : [];
            if (offsets.Length < stripsPerPlane * planes)
                throw new ImageDecodeException($"{Format}: {offsets.Length} strips where {stripsPerPlane * planes} are needed.");
            for (int p = 0; p < planes; p++)
                for (long s = 0; s < stripsPerPlane; s++)
                {
                    long i = p * stripsPerPlane + s, rows = Math.Min(rps, height - s * rps);
                    long count = i < counts.Length ? counts[i] : (compression == 1 ? rows * rowBytes : d.Length - offsets[i]);
                    chunk.Read(offsets[i], count, planeData[p].AsSpan((int)(s * rps * rowBytes), (int)(rows * rowBytes)), rowBytes);
                }
        }

        byte[]? colormap = photometric == 3 ? ReadColormap(f, bits) : null;
        var img = DecodedImage.Create(width, height, photometric is 2 or 3 ? 3 : 1, Format);
        var px = img.Pixels;
        int maxSample = (1 << Math.Min(bits, 8)) - 1;
        for (long y = 0; y < height; y++)
            for (long x = 0; x < width; x++)
            {
                long o = (y * width + x) * img.Channels;
                if (photometric == 3)
                {
                    int index = SampleRaw(planeData[0], y * rowBytes, x * spp, bits, f.LittleEndian);
                    colormap.AsSpan(3 * index, 3).CopyTo(px.AsSpan((int)o, 3));
                    continue;
                }
                for (int c = 0; c < colorSamples; c++)
                {
                    int v = planes == 1
                        ? SampleRaw(planeData[0], y * rowBytes, x * spp + c, bits, f.LittleEndian)
                        : SampleRaw(planeData[c], y * rowBytes, x, bits, f.LittleEndian);
                    if (bits < 8) v = v * 255 / maxSample;
                    px[o + c] = (byte)(photometric == 0 ? 255 - v : v);
                }
            }
        return img;
    }

    /// <summary>Sample i of a row as stored (bits ≤ 8) or its high byte (16 bits).</summary>
    private static int SampleRaw(byte[] plane, long rowStart, long i, int bits, bool littleEndian) => bits switch
    {
        8 => plane[rowStart + i],
        16 => plane[rowStart + 2 * i + (littleEndian ? 1 : 0)],
        _ => plane[rowStart + i * bits / 8] >> (int)(8 - bits - i * bits % 8) & ((1 << bits) - 1),
    };

    private static byte[] ReadColormap(TiffFields f, int bits)
    {
        if (bits > 8) throw new NotSupportedException($"{Format}: palette images with {bits}-bit indices are not supported.");
        long[] map = f.Values(320);
        int n = 1 << bits;
        if (map.Length < 3 * n) throw new ImageDecodeException($"{Format}: colormap has {map.Length} entries where {3 * n} are needed.");
        var rgb = new byte[3 * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = (byte)(map[c * n + i] >> 8);
        return rgb;
    }
}
