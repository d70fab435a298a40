namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>
/// Upsamples decoded component planes to full size and converts them to the output image, as libjpeg(-turbo) does by
/// default: "fancy" triangular upsampling for 2:1 ratios (alternating +1/+2 rounding biases; plain replication when
/// the subsampled plane is at most 2 samples wide), replication for other integral ratios, and 16-bit fixed-point
/// YCbCr→RGB tables.
/// </summary>
internal static class JpegColor
{
    private static readonly int[] CrR = new int[256], CbB = new int[256], CrG = new int[256], CbG = new int[256];

    static JpegColor()
    {
        const int half = 1 << 15;
        static int Fix(double x) => (int)(x * 65536 + 0.5);
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrR[i] = (Fix(1.40200) * x + half) >> 16;
            CbB[i] = (Fix(1.77200) * x + half) >> 16;
            CrG[i] = -Fix(0.71414) * x;
            CbG[i] = -Fix(0.34414) * x + half;
        }
    }

    public static DecodedImage ToImage(JpegComponent[] comps, byte[][] planes, int width, int height, int hmax, int vmax, bool rgb)
    {
        var full = new byte[comps.Length][];
        for (int i = 0; i < comps.Length; i++) full[i] = Upsample(comps[i], planes[i], width, height, hmax, vmax);
        if (comps.Length == 1)
        {
            var gray = DecodedImage.Create(width, height, 1, "JPEG");
            full[0].CopyTo(gray.Pixels, 0);
            return gray;
        }
        var img = DecodedImage.Create(width, height, 3, "JPEG");
        var px = img.Pixels;
        byte[] y = full[0], cb = full[1], cr = full[2];
        for (int i = 0; i < y.Length; i++)
        {
            if (rgb)
            {
                px[3 * i] = y[i];
                px[3 * i + 1] = cb[i];
                px[3 * i + 2] = cr[i];
                continue;
            }
            int l = y[i];
            px[3 * i] = Clamp(l + CrR[cr[i]]);
            px[3 * i + 1] = Clamp(l + ((CbG[cb[i]] + CrG[cr[i]]) >> 16));
            px[3 * i + 2] = Clamp(l + CbB[cb[i]]);
        }
        return img;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    /// <summary>The component at full resolution, cropped to width × height.</summary>
    private static byte[] Upsample(JpegComponent c, byte[] plane, int width, int height, int hmax, int vmax)
    {
        int fh = hmax / c.H, fv = vmax / c.V, stride = c.BlocksPerLine * 8, dw = c.Width, dh = c.Height;
        var outp = DecodedImage.Buffer((long)width * height, "JPEG");
        bool fancyH = fh == 2 && dw > 2;
        for (int y = 0; y < height; y++)
        {
            int r = y / fv;
            int rowOut = y * width;
            if (fv == 2 && (fh == 1 || fancyH))
            {
                // Vertical triangle: nearer row weighs 3, the other 1 (edges replicate).
                int other = (y & 1) == 0 ? Math.Max(r - 1, 0) : Math.Min(r + 1, dh - 1);
                int near = r * stride, far = other * stride;
                if (fh == 1)
                {
                    int bias = (y & 1) == 0 ? 1 : 2;
                    for (int x = 0; x < width; x++) outp[rowOut + x] = (byte)((plane[near + x] * 3 + plane[far + x] + bias) >> 2);
                    continue;
                }
                for (int x = 0; x < width; x++)
                {
                    int col = x >> 1, nb = (x & 1) == 0 ? Math.Max(col - 1, 0) : Math.Min(col + 1, dw - 1);
                    int thisSum = plane[near + col] * 3 + plane[far + col], nbSum = plane[near + nb] * 3 + plane[far + nb];
                    outp[rowOut + x] = (byte)((thisSum * 3 + nbSum + ((x & 1) == 0 ? 8 : 7)) >> 4);
                }
                continue;
            }
            int src = r * stride;
            if (fv == 1 && fancyH)
            {
                for (int x = 0; x < width; x++)
                {
                    int col = x >> 1, nb = (x & 1) == 0 ? Math.Max(col - 1, 0) : Math.Min(col + 1, dw - 1);
                    outp[rowOut + x] = (byte)((plane[src + col] * 3 + plane[src + nb] + ((x & 1) == 0 ? 1 : 2)) >> 2);
                }
                continue;
            }
            for (int x = 0; x < width; x++) outp[rowOut + x] = plane[src + x / fh];
        }
        return outp;
    }
}
