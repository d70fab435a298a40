namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// Lossless WebP (VP8L): prefix-coded ARGB with LZ77 backward references, a color cache, meta prefix codes and the
/// four transforms (predictor, cross-color, subtract-green, color indexing), inverted in reverse order.
/// </summary>
internal sealed class Vp8LDecoder
{
    private const string Format = "WebP";
    private const int LiteralCodes = 256, LengthCodes = 24, DistanceCodes = 40;

    /// <summary>Distance codes 1..120 map to (dx, dy) = (8 − (v &amp; 15), v &gt;&gt; 4) near the current pixel.</summary>
    private static readonly byte[] DistanceMap =
    [
        24, 7, 23, 25, 40, 6, 39, 41, 22, 26, 38, 42, 56, 5, 55, 57, 21, 27, 54, 58, 37, 43, 72, 4, 71, 73, 20, 28, 53, 59,
        70, 74, 36, 44, 88, 69, 75, 52, 60, 3, 87, 89, 19, 29, 86, 90, 35, 45, 68, 76, 85, 91, 51, 61, 104, 2, 103, 105, 18,
        30, 102, 106, 34, 46, 84, 92, 67, 77, 101, 107, 50, 62, 120, 1, 119, 121, 83, 93, 17, 31, 100, 108, 66, 78, 118, 122,
        33, 47, 117, 123, 49, 63, 99, 109, 82, 94, 0, 116, 124, 65, 79, 16, 32, 98, 110, 48, 115, 125, 81, 95, 64, 114, 126,
        97, 111, 80, 113, 127, 96, 112,
    ];

    private enum TransformType { Predictor, CrossColor, SubtractGreen, ColorIndexing }

    private sealed record Transform(TransformType Type, int Width, int Height, int Bits, uint[] Data);

    private readonly Vp8LBitReader _br;

    private Vp8LDecoder(byte[] data, int start, int length) => _br = new Vp8LBitReader(data, start, length);

    /// <summary>Decodes the VP8L chunk data[start, start + length) to an RGB image (alpha dropped).</summary>
    public static DecodedImage Decode(byte[] data, int start, int length)
    {
        if (length < 5 || data[start] != 0x2F) throw new ImageDecodeException($"{Format}: bad lossless signature.");
        var d = new Vp8LDecoder(data, start + 1, length - 1);
        int width = (int)d._br.Read(14) + 1, height = (int)d._br.Read(14) + 1;
        d._br.Read(1); // alpha hint
        if (d._br.Read(3) != 0) throw new ImageDecodeException($"{Format}: unknown lossless version.");
        DecodedImage.CheckDimensions(width, height, Format);
        var argb = d.DecodeMain(width, height);
        var img = DecodedImage.Create(width, height, 3, Format);
        for (int i = 0; i < argb.Length; i++)
        {
            uint p = argb[i];
            img.Pixels[3 * i] = (byte)(p >> 16);
            img.Pixels[3 * i + 1] = (byte)(p >> 8);
            img.Pixels[3 * i + 2] = (byte)p;
        }
        return img;
    }

    private uint[] DecodeMain(int width, int height)
    {
        var transforms = new List<Transform>();
        int seen = 0, codedWidth = width;
        while (_br.Bit() != 0)
        {
            var type = (TransformType)_br.Read(2);
            if ((seen & 1 << (int)type) != 0) throw new ImageDecodeException($"{Format}: a transform appears twice.");
            seen |= 1 << (int)type;
            transforms.Add(ReadTransform(type, ref codedWidth, height));
        }
        var pixels = DecodeImage(codedWidth, height, topLevel: true);
        for (int i = transforms.Count - 1; i >= 0; i--) pixels = Invert(transforms[i], pixels);
        return pixels;
    }

    private static int SubSample(int size, int bits) => (size + (1 << bits) - 1) >> bits;

    private Transform ReadTransform(TransformType type, ref int width, int height)
    {
        switch (type)
        {
            case TransformType.Predictor or TransformType.CrossColor:
            {
                int bits = (int)_br.Read(3) + 2;
                return new Transform(type, width, height, bits, DecodeImage(SubSample(width, bits), SubSample(height, bits), false));
            }
            case TransformType.ColorIndexing:
            {
                int colors = (int)_br.Read(8) + 1;
                int bits = colors > 16 ? 0 : colors > 4 ? 1 : colors > 2 ? 2 : 3;
                var raw = DecodeImage(colors, 1, false);
                // Entries are coded as differences from the previous one; missing entries are transparent black.
                var table = new uint[1 << (8 >> bits)];
                for (int i = 0; i < colors && i < table.Length; i++) table[i] = i == 0 ? raw[0] : Vp8LPredictor.Add(raw[i], table[i - 1]);
                var t = new Transform(type, width, height, bits, table);
                width = SubSample(width, bits);
                return t;
            }
            default: return new Transform(type, width, height, 0, []);
        }
    }

    /// <summary>Decodes an entropy-coded image; only the main image may use meta prefix codes.</summary>
    private uint[] DecodeImage(int width, int height, bool topLevel)
    {
        int cacheBits = 0;
        if (_br.Bit() != 0)
        {
            cacheBits = (int)_br.Read(4);
            if (cacheBits is < 1 or > 11) throw new ImageDecodeException($"{Format}: invalid color cache size.");
        }
        int metaBits = 0, metaWidth = 1;
        uint[]? meta = null;
        int groups = 1;
        if (topLevel && _br.Bit() != 0)
        {
            metaBits = (int)_br.Read(3) + 2;
            metaWidth = SubSample(width, metaBits);
            meta = DecodeImage(metaWidth, SubSample(height, metaBits), false);
            for (int i = 0; i < meta.Length; i++)
            {
                meta[i] = meta[i] >> 8 & 0xFFFF;
                groups = Math.Max(groups, (int)meta[i] + 1);
            }
        }
        int cacheSize = cacheBits > 0 ? 1 << cacheBits : 0;
        var codes = new Vp8LPrefixCode[groups][];
        for (int g = 0; g < groups; g++)
            codes[g] =
            [
                Vp8LPrefixCode.Read(_br, LiteralCodes + LengthCodes + cacheSize), Vp8LPrefixCode.Read(_br, 256),
                Vp8LPrefixCode.Read(_br, 256), Vp8LPrefixCode.Read(_br, 256), Vp8LPrefixCode.Read(_br, DistanceCodes),
            ];

        long total = (long)width * height;
        NativeInfer.Tensors.TensorLimits.CheckAllocation(total, NativeInfer.Tensors.DataType.UInt32);
        var pixels = new uint[total];
        var cache = cacheSize > 0 ? new uint[cacheSize] : null;
        int cached = 0; // pixels[0..cached) are in the cache
        long pos = 0;
        while (pos < total)
        {
            int x = (int)(pos % width), y = (int)(pos / width);
            var code = meta is null ? codes[0] : codes[meta[(y >> metaBits) * metaWidth + (x >> metaBits)]];
            int s = code[0].Decode(_br);
            if (s < LiteralCodes)
            {
                int red = code[1].Decode(_br), blue = code[2].Decode(_br), alpha = code[3].Decode(_br);
                pixels[pos++] = (uint)(alpha << 24 | red << 16 | s << 8 | blue);
            }
            else if (s < LiteralCodes + LengthCodes)
            {
                int length = PrefixValue(s - LiteralCodes);
                int distCode = PrefixValue(code[4].Decode(_br));
                long dist;
                if (distCode > 120) dist = distCode - 120;
                else
                {
                    int v = DistanceMap[distCode - 1];
                    dist = Math.Max(1, (long)(v >> 4) * width + 8 - (v & 15));
                }
                if (dist > pos || length > total - pos) throw new ImageDecodeException($"{Format}: a backward reference leaves the image.");
                for (int k = 0; k < length; k++, pos++) pixels[pos] = pixels[pos - dist];
            }
            else
            {
                int key = s - LiteralCodes - LengthCodes;
                for (; cached < pos; cached++) cache![Hash(pixels[cached], cacheBits)] = pixels[cached];
                pixels[pos++] = cache![key];
            }
            if (cache is not null)
                for (; cached < pos; cached++) cache[Hash(pixels[cached], cacheBits)] = pixels[cached];
        }
        return pixels;
    }

    private static int Hash(uint argb, int bits) => (int)((0x1E35A7BDu * argb) >> (32 - bits));

    /// <summary>Length and distance prefix codes: small values directly, larger ones with extra bits.</summary>
    private int PrefixValue(int prefix)
    {
        if (prefix < 4) return prefix + 1;
        int extraBits = (prefix - 2) >> 1;
        int offset = (2 + (prefix & 1)) << extraBits;
        return offset + (int)_br.Read(extraBits) + 1;
    }

    private uint[] Invert(Transform t, uint[] pixels)
    {
        int w = t.Width, h = t.Height;
        switch (t.Type)
        {
            case TransformType.SubtractGreen:
                for (int i = 0; i < pixels.Length; i++)
                {
                    uint p = pixels[i], g = p >> 8 & 0xFF;
                    pixels[i] = (p & 0xFF00FF00u) | (((p >> 16) + g) & 0xFF) << 16 | ((p + g) & 0xFF);
                }
                return pixels;
            case TransformType.CrossColor:
            {
                int tilesPerRow = SubSample(w, t.Bits);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        uint m = t.Data[(y >> t.Bits) * tilesPerRow + (x >> t.Bits)];
                        uint p = pixels[y * w + x];
                        int green = (sbyte)(p >> 8), red = (int)(p >> 16 & 0xFF), blue = (int)(p & 0xFF);
                        red = (red + (((sbyte)m * green) >> 5)) & 0xFF;
                        blue += ((sbyte)(m >> 8) * green) >> 5;
                        blue = (blue + (((sbyte)(m >> 16) * (sbyte)red) >> 5)) & 0xFF;
                        pixels[y * w + x] = (p & 0xFF00FF00u) | (uint)red << 16 | (uint)blue;
                    }
                return pixels;
            }
            case TransformType.Predictor:
                Vp8LPredictor.Invert(pixels, w, h, t.Bits, t.Data);
                return pixels;
            default:
            {
                NativeInfer.Tensors.TensorLimits.CheckAllocation((long)w * h, NativeInfer.Tensors.DataType.UInt32);
                var output = new uint[(long)w * h];
                int packedWidth = SubSample(w, t.Bits), bitsPerPixel = 8 >> t.Bits, mask = (1 << bitsPerPixel) - 1;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        uint packed = pixels[y * packedWidth + (x >> t.Bits)] >> 8 & 0xFF;
                        int index = (int)(packed >> (bitsPerPixel * (x & ((1 << t.Bits) - 1)))) & mask;
                        output[y * w + x] = t.Data[index];
                    }
                return output;
            }
        }
    }
}
