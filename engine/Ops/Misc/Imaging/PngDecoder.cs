using System.IO.Compression;

namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>
/// PNG: every color type and bit depth, non-interlaced. Gray (with or without alpha) decodes to 1 channel, everything
/// else to RGB; alpha is dropped and 16-bit samples keep their high byte.
/// </summary>
internal static class PngDecoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static bool Matches(byte[] d) => d.AsSpan().StartsWith(Signature);

    public static DecodedImage Decode(byte[] data)
    {
        var c = new BinaryCursor(data, bigEndian: true);
        long at = 8;
        int width = 0, height = 0, depth = 0, colorType = -1;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        while (at + 8 <= data.Length)
        {
            long length = c.U32(at);
            string type = System.Text.Encoding.ASCII.GetString(c.Slice(at + 4, 4));
            var body = c.Slice(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    var h = new BinaryCursor(body.ToArray(), true);
                    width = h.I32(0);
                    height = h.I32(4);
                    depth = h.U8(8);
                    colorType = h.U8(9);
                    if (h.U8(12) != 0) throw new NotSupportedException("PNG: interlaced images are not supported.");
                    break;
                case "PLTE":
                    palette = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
            }
            if (type == "IEND") break;
            at += 12 + length;
        }
        int samples = colorType switch
        {
            0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4,
            _ => throw new InvalidDataException($"PNG: color type {colorType} is invalid."),
        };
        if (depth is not (1 or 2 or 4 or 8 or 16)) throw new InvalidDataException($"PNG: bit depth {depth} is invalid.");
        if (colorType == 3 && palette is null) throw new InvalidDataException("PNG: palette image without PLTE.");
        var img = new DecodedImage(width, height, colorType is 0 or 4 ? 1 : 3);
        long rowBytes = ((long)width * samples * depth + 7) / 8;
        int bpp = Math.Max(1, samples * depth / 8);
        var raw = Inflate(idat, (rowBytes + 1) * height);
        var prev = new byte[rowBytes];
        var cur = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            long rowAt = y * (rowBytes + 1);
            raw.AsSpan((int)rowAt + 1, (int)rowBytes).CopyTo(cur);
            Unfilter(raw[rowAt], cur, prev, bpp);
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * img.Channels;
                if (colorType == 3)
                {
                    int index = Sample(cur, x, depth);
                    if (index * 3 + 2 >= palette!.Length) throw new InvalidDataException($"PNG: palette index {index} is out of range.");
                    img.Pixels[o] = palette[index * 3];
                    img.Pixels[o + 1] = palette[index * 3 + 1];
                    img.Pixels[o + 2] = palette[index * 3 + 2];
                    continue;
                }
                for (int ch = 0; ch < img.Channels; ch++)
                {
                    int s = x * samples + ch;
                    img.Pixels[o + ch] = depth switch
                    {
                        16 => cur[2 * s],
                        8 => cur[s],
                        _ => (byte)(Sample(cur, s, depth) * 255 / ((1 << depth) - 1)),
                    };
                }
            }
            (prev, cur) = (cur, prev);
        }
        return img;
    }

    private static int Sample(byte[] row, int index, int depth)
    {
        if (depth == 8) return row[index];
        if (depth == 16) return row[2 * index];
        int bit = index * depth;
        return row[bit >> 3] >> (8 - depth - (bit & 7)) & ((1 << depth) - 1);
    }

    /// <summary>Inflates exactly the bytes the image needs (a stream that would produce more is not read further).</summary>
    private static byte[] Inflate(MemoryStream idat, long expected)
    {
        if (expected > Array.MaxLength) throw new InvalidDataException("PNG: image too large.");
        Tensors.TensorLimits.CheckAllocation(expected, Tensors.DataType.UInt8);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var buffer = new byte[expected];
        int got = 0;
        while (got < buffer.Length)
        {
            int n = z.Read(buffer, got, buffer.Length - got);
            if (n == 0) throw new InvalidDataException("PNG: image data is truncated.");
            got += n;
        }
        return buffer;
    }

    private static void Unfilter(byte filter, byte[] cur, byte[] prev, int bpp)
    {
        for (int i = 0; i < cur.Length; i++)
        {
            int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            cur[i] = filter switch
            {
                0 => cur[i],
                1 => (byte)(cur[i] + a),
                2 => (byte)(cur[i] + b),
                3 => (byte)(cur[i] + (a + b) / 2),
                4 => (byte)(cur[i] + Paeth(a, b, c)),
                _ => throw new InvalidDataException($"PNG: filter type {filter} is invalid."),
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
