namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// VP8 intra predictors (RFC 6386 section 12): whole-block DC/V/H/TM for 16×16 luma and 8×8 chroma, and the ten 4×4
/// sub-block modes (numbered DC, TM, VE, HE, RD, VR, LD, VL, HD, HU). The block sits at buf[o], rows s apart, with
/// its top row at o − s (extended 4 pixels to the right) and left column at o − 1.
/// </summary>
internal static class Vp8Prediction
{
    private static byte Avg3(int a, int b, int c) => (byte)((a + 2 * b + c + 2) >> 2);
    private static byte Avg2(int a, int b) => (byte)((a + b + 1) >> 1);

    /// <summary>A 16×16 or 8×8 predictor; DC uses only the edges inside the frame (128 when there are none).</summary>
    public static void Block(byte[] buf, int o, int s, int size, int mode, bool hasLeft, bool hasTop)
    {
        switch (mode)
        {
            case 0:
            {
                int sum = 0, count = 0;
                if (hasTop) { for (int i = 0; i < size; i++) sum += buf[o - s + i]; count += size; }
                if (hasLeft) { for (int i = 0; i < size; i++) sum += buf[o + i * s - 1]; count += size; }
                int dc = count == 0 ? 128 : (sum + count / 2) / count;
                for (int y = 0; y < size; y++) buf.AsSpan(o + y * s, size).Fill((byte)dc);
                break;
            }
            case 1: TrueMotion(buf, o, s, size); break;
            case 2:
                for (int y = 0; y < size; y++) Array.Copy(buf, o - s, buf, o + y * s, size);
                break;
            default:
                for (int y = 0; y < size; y++) buf.AsSpan(o + y * s, size).Fill(buf[o + y * s - 1]);
                break;
        }
    }

    private static void TrueMotion(byte[] buf, int o, int s, int size)
    {
        int topLeft = buf[o - s - 1];
        for (int y = 0; y < size; y++)
        {
            int left = buf[o + y * s - 1] - topLeft;
            for (int x = 0; x < size; x++) buf[o + y * s + x] = Vp8Transforms.Clip(buf[o - s + x] + left);
        }
    }

    public static void Subblock(byte[] b, int o, int s, int mode)
    {
        int t = o - s;
        int x_ = b[t - 1], a = b[t], bb = b[t + 1], c = b[t + 2], d = b[t + 3], e = b[t + 4], f = b[t + 5], g = b[t + 6], h = b[t + 7];
        int i = b[o - 1], j = b[o + s - 1], k = b[o + 2 * s - 1], l = b[o + 3 * s - 1];
        void P(int col, int row, byte v) => b[o + row * s + col] = v;
        switch (mode)
        {
            case 0: // DC
            {
                byte dc = (byte)((a + bb + c + d + i + j + k + l + 4) >> 3);
                for (int r = 0; r < 4; r++) b.AsSpan(o + r * s, 4).Fill(dc);
                break;
            }
            case 1: TrueMotion(b, o, s, 4); break;
            case 2: // VE: smoothed top row
            {
                byte v0 = Avg3(x_, a, bb), v1 = Avg3(a, bb, c), v2 = Avg3(bb, c, d), v3 = Avg3(c, d, e);
                for (int r = 0; r < 4; r++) { P(0, r, v0); P(1, r, v1); P(2, r, v2); P(3, r, v3); }
                break;
            }
            case 3: // HE: smoothed left column
                b.AsSpan(o, 4).Fill(Avg3(x_, i, j));
                b.AsSpan(o + s, 4).Fill(Avg3(i, j, k));
                b.AsSpan(o + 2 * s, 4).Fill(Avg3(j, k, l));
                b.AsSpan(o + 3 * s, 4).Fill(Avg3(k, l, l));
                break;
            case 4: // RD: down-right diagonal
                P(0, 3, Avg3(j, k, l));
                P(1, 3, Avg3(i, j, k)); P(0, 2, Avg3(i, j, k));
                P(2, 3, Avg3(x_, i, j)); P(1, 2, Avg3(x_, i, j)); P(0, 1, Avg3(x_, i, j));
                P(3, 3, Avg3(a, x_, i)); P(2, 2, Avg3(a, x_, i)); P(1, 1, Avg3(a, x_, i)); P(0, 0, Avg3(a, x_, i));
                P(3, 2, Avg3(bb, a, x_)); P(2, 1, Avg3(bb, a, x_)); P(1, 0, Avg3(bb, a, x_));
                P(3, 1, Avg3(c, bb, a)); P(2, 0, Avg3(c, bb, a));
                P(3, 0, Avg3(d, c, bb));
                break;
            case 5: // VR: vertical-right
                P(0, 0, Avg2(x_, a)); P(1, 2, Avg2(x_, a));
                P(1, 0, Avg2(a, bb)); P(2, 2, Avg2(a, bb));
                P(2, 0, Avg2(bb, c)); P(3, 2, Avg2(bb, c));
                P(3, 0, Avg2(c, d));
                P(0, 3, Avg3(k, j, i));
                P(0, 2, Avg3(j, i, x_));
                P(0, 1, Avg3(i, x_, a)); P(1, 3, Avg3(i, x_, a));
                P(1, 1, Avg3(x_, a, bb)); P(2, 3, Avg3(x_, a, bb));
                P(2, 1, Avg3(a, bb, c)); P(3, 3, Avg3(a, bb, c));
                P(3, 1, Avg3(bb, c, d));
                break;
            case 6: // LD: down-left diagonal
                P(0, 0, Avg3(a, bb, c));
                P(1, 0, Avg3(bb, c, d)); P(0, 1, Avg3(bb, c, d));
                P(2, 0, Avg3(c, d, e)); P(1, 1, Avg3(c, d, e)); P(0, 2, Avg3(c, d, e));
                P(3, 0, Avg3(d, e, f)); P(2, 1, Avg3(d, e, f)); P(1, 2, Avg3(d, e, f)); P(0, 3, Avg3(d, e, f));
                P(3, 1, Avg3(e, f, g)); P(2, 2, Avg3(e, f, g)); P(1, 3, Avg3(e, f, g));
                P(3, 2, Avg3(f, g, h)); P(2, 3, Avg3(f, g, h));
                P(3, 3, Avg3(g, h, h));
                break;
            case 7: // VL: vertical-left
                P(0, 0, Avg2(a, bb));
                P(1, 0, Avg2(bb, c)); P(0, 2, Avg2(bb, c));
                P(2, 0, Avg2(c, d)); P(1, 2, Avg2(c, d));
                P(3, 0, Avg2(d, e)); P(2, 2, Avg2(d, e));
                P(0, 1, Avg3(a, bb, c));
                P(1, 1, Avg3(bb, c, d)); P(0, 3, Avg3(bb, c, d));
                P(2, 1, Avg3(c, d, e)); P(1, 3, Avg3(c, d, e));
                P(3, 1, Avg3(d, e, f)); P(2, 3, Avg3(d, e, f));
                P(3, 2, Avg3(e, f, g));
                P(3, 3, Avg3(f, g, h));
                break;
            case 8: // HD: horizontal-down
                P(0, 0, Avg2(i, x_)); P(2, 1, Avg2(i, x_));
                P(0, 1, Avg2(j, i)); P(2, 2, Avg2(j, i));
                P(0, 2, Avg2(k, j)); P(2, 3, Avg2(k, j));
                P(0, 3, Avg2(l, k));
                P(3, 0, Avg3(a, bb, c));
                P(2, 0, Avg3(x_, a, bb));
                P(1, 0, Avg3(i, x_, a)); P(3, 1, Avg3(i, x_, a));
                P(1, 1, Avg3(j, i, x_)); P(3, 2, Avg3(j, i, x_));
                P(1, 2, Avg3(k, j, i)); P(3, 3, Avg3(k, j, i));
                P(1, 3, Avg3(l, k, j));
                break;
            default: // HU: horizontal-up
                P(0, 0, Avg2(i, j));
                P(2, 0, Avg2(j, k)); P(0, 1, Avg2(j, k));
                P(2, 1, Avg2(k, l)); P(0, 2, Avg2(k, l));
                P(1, 0, Avg3(i, j, k));
                P(3, 0, Avg3(j, k, l)); P(1, 1, Avg3(j, k, l));
                P(3, 1, Avg3(k, l, l)); P(1, 2, Avg3(k, l, l));
                P(3, 2, (byte)l); P(2, 2, (byte)l); P(0, 3, (byte)l); P(1, 3, (byte)l); P(2, 3, (byte)l); P(3, 3, (byte)l);
                break;
        }
    }
}
