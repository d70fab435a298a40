namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>One component of one tile: its resolutions, subbands, precincts and code-blocks (T.800 B.5–B.7).</summary>
internal sealed class J2kTileComponent
{
    private const string Format = "JPEG 2000";

    public J2kTileComponent(J2kRect bounds, J2kCodingStyle style, J2kQuantization quant, int precision, ref long blockBudget)
    {
        Bounds = bounds;
        Style = style;
        int levels = style.Levels;
        Resolutions = new J2kResolution[levels + 1];
        for (int r = 0; r <= levels; r++)
        {
            int levelNo = levels - r;
            var rb = bounds.Scale(levelNo);
            var bands = new J2kSubband[r == 0 ? 1 : 3];
            for (int i = 0; i < bands.Length; i++)
            {
                int orientation = r == 0 ? 0 : i + 1;
                int n = r == 0 ? levels : levels - r + 1;
                int xob = orientation & 1, yob = orientation >> 1;
                var bb = r == 0 ? rb : bounds.Scale(n, n == 0 ? 0 : xob << (n - 1), n == 0 ? 0 : yob << (n - 1));
                var (exp, mant) = quant.Step(r == 0 ? 0 : 1 + 3 * (r - 1) + i, levels);
                int mb = quant.GuardBits + exp - 1;
                if (mb > 30) throw new NotSupportedException($"{Format}: {mb} magnitude bit-planes are not supported.");
                // The irreversible path leaves the subband gain to the wavelet (see J2kWavelet.Lift97), as OpenJPEG does.
                int gain = !style.Reversible || orientation == 0 ? 0 : orientation == 3 ? 2 : 1;
                float step = (float)((1 + mant / 2048.0) * Math.Pow(2, precision + gain - exp));
                NativeInfer.Tensors.TensorLimits.CheckAllocation((long)bb.Width * bb.Height, NativeInfer.Tensors.DataType.Int32);
                bands[i] = new J2kSubband(orientation, bb, mb, step);
            }

            int ppx = style.PrecinctWidthExp[r], ppy = style.PrecinctHeightExp[r];
            int pw = rb.IsEmpty ? 0 : J2kRect.CeilDiv(rb.X1, 1 << ppx) - (rb.X0 >> ppx);
            int ph = rb.IsEmpty ? 0 : J2kRect.CeilDiv(rb.Y1, 1 << ppy) - (rb.Y0 >> ppy);
            int xcb = Math.Min(style.CodeBlockWidthExp, r == 0 ? ppx : ppx - 1);
            int ycb = Math.Min(style.CodeBlockHeightExp, r == 0 ? ppy : ppy - 1);
            blockBudget -= (long)pw * ph;
            if (blockBudget < 0) throw new ImageDecodeException($"{Format}: too many precincts for the amount of data.");
            var precincts = new J2kPrecinctBand[pw * ph][];
            for (int j = 0; j < ph; j++)
                for (int i = 0; i < pw; i++)
                {
                    long px0 = (long)((rb.X0 >> ppx) + i) << ppx, py0 = (long)((rb.Y0 >> ppy) + j) << ppy;
                    long px1 = px0 + (1L << ppx), py1 = py0 + (1L << ppy);
                    if (r > 0) { px0 >>= 1; py0 >>= 1; px1 >>= 1; py1 >>= 1; }
                    var perBand = new J2kPrecinctBand[bands.Length];
                    for (int b = 0; b < bands.Length; b++)
                        perBand[b] = BuildPrecinctBand(bands[b], px0, py0, px1, py1, xcb, ycb, ref blockBudget);
                    precincts[j * pw + i] = perBand;
                }
            Resolutions[r] = new J2kResolution(rb, bands, pw, ph, precincts, ppx, ppy);
        }
    }

    public J2kRect Bounds { get; }
    public J2kCodingStyle Style { get; }
    public J2kResolution[] Resolutions { get; }

    private static J2kPrecinctBand BuildPrecinctBand(J2kSubband band, long px0, long py0, long px1, long py1, int xcb, int ycb, ref long budget)
    {
        var bb = band.Bounds;
        int x0 = (int)Math.Max(px0, bb.X0), y0 = (int)Math.Max(py0, bb.Y0);
        int x1 = (int)Math.Min(px1, bb.X1), y1 = (int)Math.Min(py1, bb.Y1);
        if (x1 <= x0 || y1 <= y0) return new J2kPrecinctBand(band, 0, 0, []);
        int cbx0 = x0 >> xcb, cby0 = y0 >> ycb;
        int w = J2kRect.CeilDiv(x1, 1 << xcb) - cbx0, h = J2kRect.CeilDiv(y1, 1 << ycb) - cby0;
        budget -= (long)w * h;
        if (budget < 0) throw new ImageDecodeException("JPEG 2000: too many code-blocks for the amount of data.");
        var blocks = new J2kCodeBlock[w * h];
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
            {
                int bx0 = (cbx0 + i) << xcb, by0 = (cby0 + j) << ycb;
                blocks[j * w + i] = new J2kCodeBlock(new J2kRect(Math.Max(bx0, x0), Math.Max(by0, y0),
                    Math.Min(bx0 + (1 << xcb), x1), Math.Min(by0 + (1 << ycb), y1)));
            }
        return new J2kPrecinctBand(band, w, h, blocks);
    }
}
