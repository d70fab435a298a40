namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>Windows BMP: uncompressed 1/4/8-bit palette and 24/32-bit images (BI_RGB), bottom-up or top-down.</summary>
internal static class BmpDecoder
{
    public static bool Matches(byte[] d) => d.Length >= 2 && d[0] == 'B' && d[1] == 'M';

    public static DecodedImage Decode(byte[] data)
    {
        var c = new BinaryCursor(data, bigEndian: false);
        uint pixelOffset = c.U32(10);
        uint headerSize = c.U32(14);
        int width, height, bpp;
        uint compression = 0, colorsUsed = 0;
        if (headerSize == 12)
        {
            width = c.U16(18);
            height = c.U16(20);
            bpp = c.U16(24);
        }
        else
        {
            width = c.I32(18);
            height = c.I32(22);
            bpp = c.U16(28);
            compression = c.U32(30);
            colorsUsed = c.U32(46);
        }
        bool topDown = height < 0;
        if (height == int.MinValue) throw new InvalidDataException("BMP: invalid height.");
        height = Math.Abs(height);
        if (compression is not (0 or 3) || compression == 3 && bpp is not (16 or 32))
            throw new NotSupportedException($"BMP: compression {compression} is not supported.");
        if (bpp is not (1 or 4 or 8 or 24 or 32)) throw new NotSupportedException($"BMP: {bpp} bits per pixel is not supported.");
        var img = new DecodedImage(width, height, 3);
        int paletteEntry = headerSize == 12 ? 3 : 4;
        long paletteAt = 14 + headerSize;
        int paletteSize = bpp <= 8 ? (int)(colorsUsed != 0 ? Math.Min(colorsUsed, 1u << bpp) : 1u << bpp) : 0;
        long stride = ((long)width * bpp + 31) / 32 * 4;
        for (int y = 0; y < height; y++)
        {
            int srcRow = topDown ? y : height - 1 - y;
            var row = c.Slice(pixelOffset + srcRow * stride, stride);
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 3;
                if (bpp >= 24)
                {
                    int p = x * (bpp / 8);
                    img.Pixels[o] = row[p + 2];
                    img.Pixels[o + 1] = row[p + 1];
                    img.Pixels[o + 2] = row[p];
                    continue;
                }
                int bit = x * bpp;
                int index = row[bit >> 3] >> (8 - bpp - (bit & 7)) & ((1 << bpp) - 1);
                if (index >= paletteSize) throw new InvalidDataException($"BMP: palette index {index} is out of range.");
                long e = paletteAt + (long)index * paletteEntry;
                img.Pixels[o] = c.U8(e + 2);
                img.Pixels[o + 1] = c.U8(e + 1);
                img.Pixels[o + 2] = c.U8(e);
            }
        }
        return img;
    }
}
