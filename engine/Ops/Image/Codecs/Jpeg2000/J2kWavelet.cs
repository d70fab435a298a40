namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>
/// Inverse discrete wavelet transform of a tile-component (T.800 Annex F): the reversible 5/3 integer lifting or the
/// irreversible 9/7 lifting, rows then columns at each level, with symmetric extension at the borders.
/// </summary>
internal static class J2kWavelet
{
    private const float Alpha = -1.586134342059924f, Beta = -0.052980118572961f, Gamma = 0.882911075530934f,
        Delta = 0.443506852043971f, K = 1.230174105f, TwoInvK = 1.625732422f;

    /// <summary>Reversible: integer samples of the full-resolution tile-component, row-major.</summary>
    public static int[] Reconstruct53(J2kTileComponent tc) => Reconstruct<int>(tc, b => Halve(b.Coefficients), Lift53);

    /// <summary>Irreversible: real-valued samples of the full-resolution tile-component, row-major.</summary>
    public static float[] Reconstruct97(J2kTileComponent tc) => Reconstruct<float>(tc, b => Dequantize(b.Coefficients, b.Step), Lift97);

    private delegate void Lifting<T>(Span<T> line, int start);

    /// <summary>Resolution by resolution: interleave the subbands, then filter every row and every column.</summary>
    private static T[] Reconstruct<T>(J2kTileComponent tc, Func<J2kSubband, T[]> values, Lifting<T> lift)
    {
        var res0 = tc.Resolutions[0];
        var cur = values(res0.Bands[0]);
        var rect = res0.Bounds;
        for (int r = 1; r < tc.Resolutions.Length; r++)
        {
            var res = tc.Resolutions[r];
            var next = Interleave(cur, rect, res, [.. res.Bands.Select(values)]);
            int w = res.Bounds.Width, h = res.Bounds.Height;
            var line = new T[Math.Max(w, h)];
            for (int y = 0; y < h; y++) lift(next.AsSpan(y * w, w), res.Bounds.X0);
            for (int x = 0; x < w; x++)
            {
                for (int y = 0; y < h; y++) line[y] = next[y * w + x];
                lift(line.AsSpan(0, h), res.Bounds.Y0);
                for (int y = 0; y < h; y++) next[y * w + x] = line[y];
            }
            cur = next;
            rect = res.Bounds;
        }
        return cur;
    }

    private static int[] Halve(int[] c)
    {
        var r = new int[c.Length];
        for (int i = 0; i < c.Length; i++) r[i] = c[i] / 2;
        return r;
    }

    private static float[] Dequantize(int[] c, float step)
    {
        var r = new float[c.Length];
        for (int i = 0; i < c.Length; i++) r[i] = c[i] * step * 0.5f;
        return r;
    }

    /// <summary>Places the lower resolution (even positions) and the three detail bands (odd positions) on one grid.</summary>
    private static T[] Interleave<T>(T[] low, J2kRect lowRect, J2kResolution res, T[][] details)
    {
        var b = res.Bounds;
        int w = b.Width, h = b.Height;
        NativeInfer.Tensors.TensorLimits.CheckAllocation((long)w * h, NativeInfer.Tensors.DataType.Int32);
        var outp = new T[(long)w * h];
        for (int y = 0; y < h; y++)
        {
            int ay = b.Y0 + y;
            bool oddY = (ay & 1) != 0;
            int by = oddY ? ay >> 1 : (ay + 1) >> 1;
            for (int x = 0; x < w; x++)
            {
                int ax = b.X0 + x;
                bool oddX = (ax & 1) != 0;
                int bx = oddX ? ax >> 1 : (ax + 1) >> 1;
                int bandIndex = (oddX ? 1 : 0) + (oddY ? 2 : 0); // 0 = lower resolution, 1 = HL, 2 = LH, 3 = HH
                var r = bandIndex == 0 ? lowRect : res.Bands[bandIndex - 1].Bounds;
                var src = bandIndex == 0 ? low : details[bandIndex - 1];
                outp[y * w + x] = src[(by - r.Y0) * r.Width + bx - r.X0];
            }
        }
        return outp;
    }

    /// <summary>1-D 5/3 synthesis of a line whose first sample sits at absolute coordinate <paramref name="start"/>.</summary>
    private static void Lift53(Span<int> x, int start)
    {
        int n = x.Length;
        if (n == 1)
        {
            if ((start & 1) != 0) x[0] /= 2;
            return;
        }
        int first = start & 1; // index of the first even (low-pass) absolute position is first == 0 ? 0 : 1
        for (int i = first; i < n; i += 2)
            x[i] -= (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)] + 2) >> 2;
        for (int i = 1 - first; i < n; i += 2)
            x[i] += (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)]) >> 1;
    }

    /// <summary>
    /// 1-D 9/7 synthesis (T.800 F.3.8.2) in the reference decoder's (OpenJPEG's) split of the subband gain: detail
    /// bands arrive without their gain factor (see <see cref="J2kTileComponent"/>) and are scaled by its historic
    /// 13318/8192 ≈ 2/K instead of 1/K; a lone sample passes through unchanged.
    /// </summary>
    private static void Lift97(Span<float> x, int start)
    {
        int n = x.Length;
        if (n == 1) return;
        int even = start & 1, odd = 1 - even;
        for (int i = even; i < n; i += 2) x[i] *= K;
        for (int i = odd; i < n; i += 2) x[i] *= TwoInvK;
        for (int i = even; i < n; i += 2) x[i] -= Delta * (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)]);
        for (int i = odd; i < n; i += 2) x[i] -= Gamma * (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)]);
        for (int i = even; i < n; i += 2) x[i] -= Beta * (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)]);
        for (int i = odd; i < n; i += 2) x[i] -= Alpha * (x[Mirror(i - 1, n)] + x[Mirror(i + 1, n)]);
    }

    /// <summary>Whole-sample symmetric extension: index −1 reads 1, index n reads n − 2.</summary>
    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
