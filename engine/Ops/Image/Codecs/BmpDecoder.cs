using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// Windows BMP (and OS/2 v1): 1/4/8-bit palette, 16/24/32-bit direct colour (BI_RGB or bit-field masks), RLE4/RLE8,
/// bottom-up or top-down. Palette images decode to RGB; a channel of n mask bits scales as v·255/(2ⁿ−1).
/// </summary>
internal static class BmpDecoder
{
    private const string Format = "BMP";

    public static bool Matches(ReadOnlySpan<byte> d) => d.Length >= 2 && d[0] == 'B' && d[1] == 'M';

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        uint pixelOffset = U32LE(d, 10, Format);
        uint headerSize = U32LE(d, 14, Format);
        long width, height;
        int bpp;
        uint compression = 0, colorsUsed = 0;
        bool core = headerSize == 12;
        if (core)
        {
            width = U16LE(d, 18, Format);
            height = U16LE(d, 20, Format);
            bpp = U16LE(d, 24, Format);
        }
        else if (headerSize is >= 40 and <= 124)
        {
            width = I32LE(d, 18, Format);
            height = I32LE(d, 22, Format);
            bpp = U16LE(d, 28, Format);
            compression = U32LE(d, 30, Format);
            colorsUsed = U32LE(d, 46, Format);
        }
        else throw new ImageDecodeException($"{Format}: unsupported header size {headerSize}.");

        bool topDown = height < 0;
        height = Math.Abs(height);
        DecodedImage.CheckDimensions(width, height, Format);
        if (compression is not (1 or 2)) Slice(d, pixelOffset, Stride(width, bpp) * height, Format); // all pixel rows present
        var img = DecodedImage.Create(width, height, 3, Format);

        if (bpp is 1 or 2 or 4 or 8)
        {
            var palette = ReadPalette(d, 14 + headerSize, core ? 3 : 4, bpp, colorsUsed, pixelOffset);
            if (compression is 1 or 2)
            {
                if (compression == 1 != (bpp == 8) || compression == 2 != (bpp == 4))
                    throw new ImageDecodeException($"{Format}: RLE{(compression == 1 ? 8 : 4)} with {bpp} bits per pixel.");
                DecodeRle(d, pixelOffset, img, palette, bpp, topDown);
            }
            else if (compression == 0) DecodeIndexed(d, pixelOffset, img, palette, bpp, topDown);
            else throw new NotSupportedException($"{Format}: compression {compression} with a palette is not supported.");
            return img;
        }

        uint[] masks = compression switch
        {
            0 when bpp == 16 => [0x7C00, 0x03E0, 0x001F],
            0 when bpp is 24 or 32 => [0xFF0000, 0x00FF00, 0x0000FF],
            3 or 6 when bpp is 16 or 32 => [U32LE(d, 54, Format), U32LE(d, 58, Format), U32LE(d, 62, Format)],
            _ => throw new NotSupportedException($"{Format}: {bpp} bits per pixel with compression {compression} is not supported."),
        };
        DecodeDirect(d, pixelOffset, img, bpp, masks, topDown);
        return img;
    }

    private static byte[] ReadPalette(ReadOnlySpan<byte> d, long at, int entrySize, int bpp, uint used, uint pixelOffset)
    {
        long count = used == 0 || used > 1u << bpp ? 1L << bpp : used;
        // Files sometimes declare more colours than fit before the pixels; keep the ones present.
        count = Math.Min(count, Math.Max(0, (pixelOffset - at) / entrySize));
        var src = Slice(d, at, count * entrySize, Format);
        var palette = new byte[(1 << bpp) * 3];
        for (int i = 0; i < count; i++)
        {
            palette[3 * i] = src[i * entrySize + 2];
            palette[3 * i + 1] = src[i * entrySize + 1];
            palette[3 * i + 2] = src[i * entrySize];
        }
        return palette;
    }

    private static long Stride(long width, int bpp) => (width * bpp + 31) / 32 * 4;

    private static Span<byte> Row(DecodedImage img, long fileRow, bool topDown)
    {
        long y = topDown ? fileRow : img.Height - 1 - fileRow;
        return img.Pixels.AsSpan((int)(y * img.Width * 3), img.Width * 3);
    }

    private static void DecodeIndexed(ReadOnlySpan<byte> d, long offset, DecodedImage img, byte[] palette, int bpp, bool topDown)
    {
        long stride = Stride(img.Width, bpp);
        var src = Slice(d, offset, stride * img.Height, Format);
        int perByte = 8 / bpp, mask = (1 << bpp) - 1;
        for (int r = 0; r < img.Height; r++)
        {
            var row = src.Slice((int)(r * stride), (int)stride);
            var dst = Row(img, r, topDown);
            for (int x = 0; x < img.Width; x++)
            {
                int shift = 8 - bpp * (x % perByte + 1);
                int index = (row[x / perByte] >> shift) & mask;
                palette.AsSpan(3 * index, 3).CopyTo(dst.Slice(3 * x, 3));
            }
        }
    }

    private static void DecodeDirect(ReadOnlySpan<byte> d, long offset, DecodedImage img, int bpp, uint[] masks, bool topDown)
    {
        long stride = Stride(img.Width, bpp);
        var src = Slice(d, offset, stride * img.Height, Format);
        Span<int> shifts = stackalloc int[3];
        Span<uint> max = stackalloc uint[3];
        for (int c = 0; c < 3; c++)
        {
            if (masks[c] == 0) throw new ImageDecodeException($"{Format}: a colour bit-field mask is zero.");
            shifts[c] = System.Numerics.BitOperations.TrailingZeroCount(masks[c]);
            max[c] = masks[c] >> shifts[c];
            if ((max[c] & (max[c] + 1)) != 0) throw new ImageDecodeException($"{Format}: bit-field masks must be contiguous.");
        }
        int bytes = bpp / 8;
        for (int r = 0; r < img.Height; r++)
        {
            var row = src.Slice((int)(r * stride), (int)stride);
            var dst = Row(img, r, topDown);
            for (int x = 0; x < img.Width; x++)
            {
                uint p = 0;
                for (int b = 0; b < bytes; b++) p |= (uint)row[x * bytes + b] << (8 * b);
                for (int c = 0; c < 3; c++)
                {
                    uint v = (p & masks[c]) >> shifts[c];
                    dst[3 * x + c] = (byte)(max[c] == 255 ? v : v * 255 / max[c]);
                }
            }
        }
    }

    /// <summary>
    /// RLE8/RLE4 as the reference decoder reads them: palette indices accumulate in one linear buffer (bottom row first)
    /// where an end-of-line pads the row with index 0, a delta skips (dx + dy·width) pixels, a run is clipped to the row,
    /// and an RLE4 literal of n pixels carries ⌊n/2⌋ bytes. The image must be complete when the data ends.
    /// </summary>
    private static void DecodeRle(ReadOnlySpan<byte> file, long dataStart, DecodedImage img, byte[] palette, int bpp, bool topDown)
    {
        long size = (long)img.Width * img.Height;
        var indices = DecodedImage.Buffer(size, Format);
        long n = 0, x = 0;
        long i = dataStart;
        void Put(int index)
        {
            if (n < size) indices[n] = (byte)index;
            n++;
        }
        while (n < size && i + 2 <= file.Length)
        {
            int count = file[(int)i], value = file[(int)i + 1];
            i += 2;
            if (count > 0)
            {
                count = (int)Math.Min(count, Math.Max(0, img.Width - x));
                for (int k = 0; k < count; k++) Put(bpp == 8 ? value : (k & 1) == 0 ? value >> 4 : value & 15);
                x += count;
                continue;
            }
            if (value == 0)
            {
                while (n % img.Width != 0) Put(0);
                x = 0;
            }
            else if (value == 1) break;
            else if (value == 2)
            {
                if (i + 2 > file.Length) break;
                long skip = file[(int)i] + (long)file[(int)i + 1] * img.Width;
                i += 2;
                n = Math.Min(n + skip, size); // skipped pixels keep index 0
                x = n % img.Width;
            }
            else
            {
                int bytes = bpp == 8 ? value : value / 2;
                if (i + bytes > file.Length) break;
                for (int k = 0; k < bytes; k++)
                {
                    int b = file[(int)(i + k)];
                    if (bpp == 8) Put(b);
                    else { Put(b >> 4); Put(b & 15); }
                }
                i += bytes;
                x += value;
                if ((i & 1) != 0) i++; // literal groups end on a 16-bit boundary of the file
            }
        }
        if (n < size) throw new ImageDecodeException($"{Format}: RLE data ends before the image is complete (truncated file).");
        for (long p = 0; p < size; p++)
        {
            var row = Row(img, p / img.Width, topDown);
            palette.AsSpan(3 * indices[p], 3).CopyTo(row.Slice((int)(3 * (p % img.Width)), 3));
        }
    }
}
