using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NativeInfer.Tests.Image;

/// <summary>Minimal encoders that build small image files in memory for the decoder tests.</summary>
internal static class TestImageFiles
{
    /// <summary>A w×h RGB test pattern (distinct values per pixel and channel).</summary>
    public static byte[] Pattern(int w, int h)
    {
        var p = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int o = (y * w + x) * 3;
                p[o] = (byte)(x * 40 + y * 3 + 7);
                p[o + 1] = (byte)(y * 60 + x * 5 + 11);
                p[o + 2] = (byte)(x * y * 13 + 200);
            }
        return p;
    }

    /// <summary>BMP with 24 or 32 bits per pixel, bottom-up unless topDown.</summary>
    public static byte[] Bmp(byte[] rgb, int w, int h, int bpp, bool topDown)
    {
        int stride = (w * bpp / 8 + 3) & ~3;
        var f = new byte[54 + stride * h];
        f[0] = (byte)'B'; f[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(2), f.Length);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(22), topDown ? -h : h);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(28), (short)bpp);
        for (int y = 0; y < h; y++)
        {
            int fileRow = topDown ? y : h - 1 - y;
            for (int x = 0; x < w; x++)
            {
                int o = 54 + fileRow * stride + x * bpp / 8, s = (y * w + x) * 3;
                f[o] = rgb[s + 2]; f[o + 1] = rgb[s + 1]; f[o + 2] = rgb[s];
                if (bpp == 32) f[o + 3] = 0x5A;
            }
        }
        return f;
    }

    /// <summary>An 8-bit palette BMP whose pixel (x, y) has index (x + y) % palette size, or the given RLE8 data.</summary>
    public static byte[] BmpPalette(byte[] paletteRgb, int w, int h, byte[]? rle8 = null)
    {
        int colors = paletteRgb.Length / 3, stride = (w + 3) & ~3, offset = 54 + 4 * colors;
        var f = new byte[offset + (rle8?.Length ?? stride * h)];
        if (rle8 is not null)
        {
            rle8.CopyTo(f, offset);
            BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(30), 1);
        }
        f[0] = (byte)'B'; f[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(10), offset);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(28), 8);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(46), colors);
        for (int i = 0; i < colors; i++)
        {
            f[54 + 4 * i] = paletteRgb[3 * i + 2]; f[55 + 4 * i] = paletteRgb[3 * i + 1]; f[56 + 4 * i] = paletteRgb[3 * i];
        }
        if (rle8 is null)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) f[offset + (h - 1 - y) * stride + x] = (byte)((x + y) % colors);
        return f;
    }

    public static byte[] Pnm(string header, byte[] body) => [.. Encoding.ASCII.GetBytes(header), .. body];

    /// <summary>
    /// PNG of 8- or 16-bit samples (<paramref name="samples"/> row-major, <paramref name="channels"/> per pixel) with
    /// filter type (row % 5) on row `row`, optionally Adam7-interlaced.
    /// </summary>
    public static byte[] Png(int w, int h, int colorType, int bitDepth, byte[] packedRows, int rowBytes, bool interlaced = false,
        byte[]? palette = null, int bytesPerPixel = 1)
    {
        var raw = new MemoryStream();
        if (!interlaced) WriteFiltered(raw, packedRows, rowBytes, h, bytesPerPixel);
        else
        {
            // Only for 8-bit samples: gather each pass's pixels, then filter them like a small image.
            (int X0, int Y0, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
            foreach (var (x0, y0, dx, dy) in passes)
            {
                int pw = (w - x0 + dx - 1) / dx, ph = (h - y0 + dy - 1) / dy;
                if (pw <= 0 || ph <= 0) continue;
                var sub = new byte[pw * ph * bytesPerPixel];
                for (int r = 0; r < ph; r++)
                    for (int c = 0; c < pw; c++)
                        Array.Copy(packedRows, (y0 + r * dy) * rowBytes + (x0 + c * dx) * bytesPerPixel, sub, (r * pw + c) * bytesPerPixel, bytesPerPixel);
                WriteFiltered(raw, sub, pw * bytesPerPixel, ph, bytesPerPixel);
            }
        }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(raw.ToArray());

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = (byte)bitDepth; ihdr[9] = (byte)colorType; ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (palette is not null) Chunk(png, "PLTE", palette);
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static byte[] PngWithIdat(int w, int h, byte[] idat)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8; ihdr[9] = 0;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteFiltered(MemoryStream raw, byte[] rows, int rowBytes, int h, int bpp)
    {
        for (int y = 0; y < h; y++)
        {
            int filter = y % 5;
            raw.WriteByte((byte)filter);
            for (int i = 0; i < rowBytes; i++)
            {
                int x = rows[y * rowBytes + i];
                int a = i >= bpp ? rows[y * rowBytes + i - bpp] : 0;
                int b = y > 0 ? rows[(y - 1) * rowBytes + i] : 0;
                int c = y > 0 && i >= bpp ? rows[(y - 1) * rowBytes + i - bpp] : 0;
                int pred = filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2,
                    _ => Math.Abs(b - c) <= Math.Abs(a - c) && Math.Abs(b - c) <= Math.Abs(a + b - 2 * c) ? a
                        : Math.Abs(a - c) <= Math.Abs(a + b - 2 * c) ? b : c,
                };
                raw.WriteByte((byte)(x - pred));
            }
        }
    }

    private static void Chunk(MemoryStream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crcInput = head.AsSpan(4).ToArray().Concat(data).ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(crcInput));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    /// <summary>A little-endian single-strip TIFF of 8-bit samples with the given compression and predictor.</summary>
    public static byte[] Tiff(int w, int h, int spp, int photometric, int compression, int predictor, byte[] stripData)
    {
        var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
        {
            (256, 4, 1, (uint)w), (257, 4, 1, (uint)h), (258, 3, 1, 8), (259, 3, 1, (uint)compression),
            (262, 3, 1, (uint)photometric), (273, 4, 1, 0), (277, 3, 1, (uint)spp), (278, 4, 1, (uint)h),
            (279, 4, 1, (uint)stripData.Length), (317, 3, 1, (uint)predictor),
        };
        int ifdSize = 2 + 12 * entries.Count + 4, dataAt = 8 + ifdSize;
        var f = new byte[dataAt + stripData.Length];
        f[0] = f[1] = (byte)'I'; f[2] = 42;
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(8), (ushort)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            var (tag, type, count, value) = entries[i];
            if (tag == 273) value = (uint)dataAt;
            var e = f.AsSpan(10 + 12 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(e, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], count);
            if (type == 3) BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)value);
            else BinaryPrimitives.WriteUInt32LittleEndian(e[8..], value);
        }
        stripData.CopyTo(f, dataAt);
        return f;
    }

    /// <summary>PackBits: literal runs only, at most 128 bytes each.</summary>
    public static byte[] PackBitsLiteral(byte[] data)
    {
        var s = new MemoryStream();
        for (int i = 0; i < data.Length; i += 128)
        {
            int n = Math.Min(128, data.Length - i);
            s.WriteByte((byte)(n - 1));
            s.Write(data, i, n);
        }
        return s.ToArray();
    }

    /// <summary>TIFF LZW (MSB-first codes, early change), a straightforward dictionary encoder.</summary>
    public static byte[] Lzw(byte[] data)
    {
        var dict = new Dictionary<string, int>();
        void ResetDict() { dict.Clear(); for (int i = 0; i < 256; i++) dict[((char)i).ToString()] = i; }
        var bits = new List<bool>();
        int width = 9, next = 258;
        void Emit(int code) { for (int k = width - 1; k >= 0; k--) bits.Add((code >> k & 1) != 0); }
        ResetDict();
        Emit(256);
        string w = "";
        foreach (byte b in data)
        {
            string wc = w + (char)b;
            if (dict.ContainsKey(wc)) { w = wc; continue; }
            Emit(dict[w]);
            dict[wc] = next++;
            if (next >= 1 << width) width++;  // the decoder, one entry behind, widens at 2^n - 1 ("early change")
            if (next >= 4094) { Emit(256); ResetDict(); next = 258; width = 9; }
            w = ((char)b).ToString();
        }
        if (w.Length > 0) Emit(dict[w]);
        Emit(257);
        var bytes = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++) if (bits[i]) bytes[i / 8] |= (byte)(0x80 >> (i % 8));
        return bytes;
    }
}
