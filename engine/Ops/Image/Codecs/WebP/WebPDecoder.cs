using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// WebP (RIFF container) with a lossy VP8 image, simple or extended format; an alpha channel is ignored. Colour
/// conversion matches libwebp's default decoding: "fancy" bilinear chroma upsampling and 14-bit fixed-point
/// BT.601 YUV→RGB. Lossless (VP8L) and animated files are not supported.
/// </summary>
internal static class WebPDecoder
{
    private const string Format = "WebP";

    public static bool Matches(ReadOnlySpan<byte> d) =>
        d.Length >= 12 && d.StartsWith("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WEBP"u8);

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        var bytes = d.ToArray();
        long riffEnd = Math.Min(8L + U32LE(bytes, 4, Format), bytes.Length);
        long pos = 12;
        while (pos + 8 <= riffEnd)
        {
            var fourcc = Slice(bytes, pos, 4, Format);
            long size = U32LE(bytes, pos + 4, Format);
            if (size > riffEnd - pos - 8) throw new ImageDecodeException($"{Format}: chunk runs past the end of the file (truncated).");
            if (fourcc.SequenceEqual("VP8 "u8))
            {
                var vp8 = Vp8Decoder.Decode(bytes, (int)pos + 8, (int)size);
                return ToRgb(vp8);
            }
            if (fourcc.SequenceEqual("VP8L"u8)) throw new NotSupportedException($"{Format}: lossless (VP8L) images are not supported.");
            if (fourcc.SequenceEqual("ANIM"u8)) throw new NotSupportedException($"{Format}: animated images are not supported.");
            pos += 8 + size + (size & 1);
        }
        throw new ImageDecodeException($"{Format}: no image data (VP8 chunk) found.");
    }

    private static int MultHi(int v, int coeff) => (v * coeff) >> 8;

    private static byte Clip8(int v) => (v & ~16383) == 0 ? (byte)(v >> 6) : v < 0 ? (byte)0 : (byte)255;

    private static void YuvToRgb(int y, int u, int v, Span<byte> rgb)
    {
        int luma = MultHi(y, 19077);
        rgb[0] = Clip8(luma + MultHi(v, 26149) - 14234);
        rgb[1] = Clip8(luma - MultHi(u, 6419) - MultHi(v, 13320) + 8708);
        rgb[2] = Clip8(luma + MultHi(u, 33050) - 17685);
    }

    /// <summary>
    /// libwebp's fancy upsampling: each output pixel takes its chroma from the four nearest chroma samples with weights
    /// 9/3/3/1, computed as ((N + 3·Fh + 3·Fv + D + 8) / 8 + N) / 2 per component (N nearest, Fh/Fv the horizontal and
    /// vertical neighbours, D the diagonal); edges replicate.
    /// </summary>
    private static DecodedImage ToRgb(Vp8Decoder f)
    {
        int w = f.Width, h = f.Height, uvH = (h + 1) / 2, uvW = (w + 1) / 2;
        var img = DecodedImage.Create(w, h, 3, Format);
        var px = img.Pixels;
        for (int y = 0; y < h; y++)
        {
            int near = y >> 1, far = (y & 1) != 0 ? Math.Min(near + 1, uvH - 1) : Math.Max(near - 1, 0);
            if (y == 0) far = 0;
            int nRow = near * f.UvStride, fRow = far * f.UvStride, yRow = y * f.YStride;
            for (int x = 0; x < w; x++)
            {
                int u, v;
                int col = (x + 1) >> 1;
                if (x == 0 || (x == w - 1 && (w & 1) == 0))
                {
                    int c = x == 0 ? 0 : uvW - 1;
                    u = (3 * f.U[nRow + c] + f.U[fRow + c] + 2) >> 2;
                    v = (3 * f.V[nRow + c] + f.V[fRow + c] + 2) >> 2;
                }
                else
                {
                    // Pixel 2k−1 is nearest chroma column k−1, pixel 2k nearest column k.
                    int nc = (x & 1) != 0 ? col - 1 : col, fc = (x & 1) != 0 ? col : col - 1;
                    u = Blend(f.U[nRow + nc], f.U[nRow + fc], f.U[fRow + nc], f.U[fRow + fc]);
                    v = Blend(f.V[nRow + nc], f.V[nRow + fc], f.V[fRow + nc], f.V[fRow + fc]);
                }
                YuvToRgb(f.Y[yRow + x], u, v, px.AsSpan(3 * (y * w + x), 3));
            }
        }
        return img;
    }

    private static int Blend(int near, int farH, int farV, int diagonal) =>
        (((near + 3 * farH + 3 * farV + diagonal + 8) >> 3) + near) >> 1;
}
