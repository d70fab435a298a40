namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// The inverse VP8L predictor transform: each pixel adds (per channel, mod 256) a prediction from its left (L), top (T),
/// top-left (TL) and top-right (TR) neighbours chosen per tile by one of 14 modes; the first row predicts from the
/// left (the very first pixel from opaque black) and the first column from the top.
/// </summary>
internal static class Vp8LPredictor
{
    public static void Invert(uint[] p, int w, int h, int bits, uint[] modes)
    {
        int tilesPerRow = (w + (1 << bits) - 1) >> bits;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                uint prediction;
                if (y == 0) prediction = x == 0 ? 0xFF000000u : p[i - 1];
                else if (x == 0) prediction = p[i - w];
                else
                {
                    int mode = (int)(modes[(y >> bits) * tilesPerRow + (x >> bits)] >> 8 & 0xF);
                    // TR of the last column is the first pixel of the current row, as in a flat buffer.
                    prediction = Predict(mode, p[i - 1], p[i - w], p[i - w - 1], p[i - w + 1]);
                }
                p[i] = Add(p[i], prediction);
            }
    }

    /// <summary>Per-channel addition modulo 256.</summary>
    public static uint Add(uint a, uint b) =>
        (((a & 0xFF00FF00u) + (b & 0xFF00FF00u)) & 0xFF00FF00u) | (((a & 0x00FF00FFu) + (b & 0x00FF00FFu)) & 0x00FF00FFu);

    private static uint Average2(uint a, uint b) => (((a ^ b) & 0xFEFEFEFEu) >> 1) + (a & b);

    private static uint Predict(int mode, uint l, uint t, uint tl, uint tr) => mode switch
    {
        1 => l,
        2 => t,
        3 => tr,
        4 => tl,
        5 => Average2(Average2(l, tr), t),
        6 => Average2(l, tl),
        7 => Average2(l, t),
        8 => Average2(tl, t),
        9 => Average2(t, tr),
        10 => Average2(Average2(l, tl), Average2(t, tr)),
        11 => Select(l, t, tl),
        12 => PerChannel(l, t, tl, static (a, b, c) => a + b - c),
        13 => PerChannel(Average2(l, t), tl, 0, static (a, b, _) => a + (a - b) / 2),
        _ => 0xFF000000u,
    };

    /// <summary>L or T, whichever is closer (Manhattan distance over ARGB) to the gradient estimate L + T − TL; ties pick T.</summary>
    private static uint Select(uint l, uint t, uint tl)
    {
        int pl = 0, pt = 0;
        for (int s = 0; s < 32; s += 8)
        {
            int cl = (int)(l >> s & 0xFF), ct = (int)(t >> s & 0xFF), ctl = (int)(tl >> s & 0xFF);
            pl += Math.Abs(ct - ctl);
            pt += Math.Abs(cl - ctl);
        }
        return pl < pt ? l : t;
    }

    private static uint PerChannel(uint a, uint b, uint c, Func<int, int, int, int> f)
    {
        uint r = 0;
        for (int s = 0; s < 32; s += 8)
            r |= (uint)Math.Clamp(f((int)(a >> s & 0xFF), (int)(b >> s & 0xFF), (int)(c >> s & 0xFF)), 0, 255) << s;
        return r;
    }
}
