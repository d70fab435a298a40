using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// PNG: every colour type and bit depth, all five filters, Adam7 interlacing, CRC-checked chunks. Gray decodes to one
/// channel (1/2/4-bit samples scaled to 0..255), palette and truecolour to RGB; 16-bit samples keep their high byte;
/// alpha and tRNS are dropped.
/// </summary>
internal static class PngDecoder
{
    private const string Format = "PNG";
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static readonly uint[] CrcTable = BuildCrcTable();

    public static bool Matches(ReadOnlySpan<byte> d) => d.StartsWith(Signature);

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int Samples => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        public int BitsPerPixel => Samples * BitDepth;
        public long RowBytes(long width) => (width * BitsPerPixel + 7) / 8;
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        Header? h = null;
        byte[]? palette = null;
        var idat = new MemoryStream();
        long pos = Signature.Length;
        while (true)
        {
            long length = U32BE(d, pos, Format);
            var type = Slice(d, pos + 4, 4, Format);
            var body = Slice(d, pos + 8, length, Format);
            uint crc = U32BE(d, pos + 8 + length, Format);
            if (Crc(Slice(d, pos + 4, length + 4, Format)) != crc)
                throw new ImageDecodeException($"{Format}: CRC mismatch in chunk '{System.Text.Encoding.ASCII.GetString(type)}'.");
            pos += 12 + length;
            if (type.SequenceEqual("IHDR"u8)) h = ReadHeader(body);
            else if (type.SequenceEqual("PLTE"u8)) palette = body.ToArray();
            else if (type.SequenceEqual("IDAT"u8)) idat.Write(body);
            else if (type.SequenceEqual("IEND"u8)) break;
            else if ((type[0] & 0x20) == 0)
                throw new NotSupportedException($"{Format}: unknown critical chunk '{System.Text.Encoding.ASCII.GetString(type)}'.");
            if (h is null) throw new ImageDecodeException($"{Format}: the first chunk is not IHDR.");
        }
        if (h is null) throw new ImageDecodeException($"{Format}: missing IHDR.");
        if (h.ColorType == 3 && (palette is null || palette.Length % 3 != 0))
            throw new ImageDecodeException($"{Format}: palette image without a valid PLTE chunk.");

        var passes = h.Interlaced ? Adam7 : [(0, 0, 1, 1)];
        long rawSize = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            long pw = (h.Width - x0 + dx - 1) / dx, ph = (h.Height - y0 + dy - 1) / dy;
            if (pw > 0 && ph > 0) rawSize += ph * (1 + h.RowBytes(pw));
        }
        // Deflate expands at most ~1032:1, so a stream too short for the declared size is refused before allocating.
        if (rawSize / 1032 > idat.Length + 64)
            throw new ImageDecodeException($"{Format}: {idat.Length} bytes of compressed data cannot hold a {h.Width}x{h.Height} image.");
        var raw = DecodedImage.Buffer(rawSize, Format);
        idat.Position = 0;
        ZlibInflater.Inflate(idat, raw, zlibHeader: true, Format);
        var img = DecodedImage.Create(h.Width, h.Height, h.ColorType is 0 or 4 ? 1 : 3, Format);

        int bpp = Math.Max(1, h.BitsPerPixel / 8);
        int offset = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int pw = (h.Width - x0 + dx - 1) / dx, ph = (h.Height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (int)h.RowBytes(pw);
            for (int r = 0; r < ph; r++)
            {
                var row = raw.AsSpan(offset + 1, rowBytes);
                var prev = r == 0 ? Span<byte>.Empty : raw.AsSpan(offset + 1 - (rowBytes + 1), rowBytes);
                Unfilter(raw[offset], row, prev, bpp);
                StoreRow(h, row, palette, img, y0 + r * dy, x0, dx, pw);
                offset += rowBytes + 1;
            }
        }
        return img;
    }

    private static Header ReadHeader(ReadOnlySpan<byte> b)
    {
        if (b.Length != 13) throw new ImageDecodeException($"{Format}: IHDR has length {b.Length}.");
        uint w = U32BE(b, 0, Format), hgt = U32BE(b, 4, Format);
        DecodedImage.CheckDimensions(w, hgt, Format);
        var h = new Header((int)w, (int)hgt, b[8], b[9], b[12] == 1);
        bool ok = h.ColorType switch
        {
            0 => h.BitDepth is 1 or 2 or 4 or 8 or 16,
            3 => h.BitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => h.BitDepth is 8 or 16,
            _ => false,
        };
        if (!ok || b[10] != 0 || b[11] != 0 || b[12] > 1)
            throw new ImageDecodeException($"{Format}: invalid IHDR (colour type {h.ColorType}, bit depth {h.BitDepth}).");
        return h;
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prev, int bpp)
    {
        bool hasPrev = !prev.IsEmpty;
        switch (filter)
        {
            case 0: break;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case 2:
                if (hasPrev) for (int i = 0; i < row.Length; i++) row[i] += prev[i];
                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0, up = hasPrev ? prev[i] : 0;
                    row[i] += (byte)((left + up) >> 1);
                }
                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = hasPrev ? prev[i] : 0, c = hasPrev && i >= bpp ? prev[i - bpp] : 0;
                    row[i] += (byte)Paeth(a, b, c);
                }
                break;
            default: throw new ImageDecodeException($"{Format}: invalid filter type {filter}.");
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Sample i of a row as 0..255 (low depths scaled, 16-bit truncated to the high byte).</summary>
    private static int Sample(ReadOnlySpan<byte> row, int i, int depth) => depth switch
    {
        8 => row[i],
        16 => row[2 * i],
        _ => (row[i * depth / 8] >> (8 - depth - i * depth % 8) & ((1 << depth) - 1)) * (255 / ((1 << depth) - 1)),
    };

    private static void StoreRow(Header h, ReadOnlySpan<byte> row, byte[]? palette, DecodedImage img, int y, int x0, int dx, int count)
    {
        var px = img.Pixels;
        int samples = h.Samples, ch = img.Channels;
        for (int i = 0; i < count; i++)
        {
            int o = (y * img.Width + x0 + i * dx) * ch;
            if (h.ColorType == 3)
            {
                int index = h.BitDepth == 8 ? row[i] : row[i * h.BitDepth / 8] >> (8 - h.BitDepth - i * h.BitDepth % 8) & ((1 << h.BitDepth) - 1);
                if (3 * index + 2 < palette!.Length)
                {
                    px[o] = palette[3 * index];
                    px[o + 1] = palette[3 * index + 1];
                    px[o + 2] = palette[3 * index + 2];
                }
                continue;
            }
            for (int c = 0; c < ch; c++) px[o + c] = (byte)Sample(row, i * samples + c, h.BitDepth);
        }
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFF;
    }

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
