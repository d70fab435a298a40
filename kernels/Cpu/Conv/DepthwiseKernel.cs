using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// One band of output rows of one depthwise output plane, vectorized along the output width, read straight from the
/// unpadded input. The output row is cut into vector-wide column strips (the last one overlapping its neighbour when
/// the width allows, else stored partially); each strip walks down the band. Strips whose every tap lies inside the
/// row use plain loads; the border strips use masked loads whose masks (the padding) are computed once per strip. Rows
/// whose window crosses the top or bottom edge run the taps of the kernel rows that exist, the rest with no vertical
/// checks. Bias, residual and the simple activations are applied while the vector is in a register; the other
/// activations run over the finished band while it is in L1.
/// </summary>
internal static unsafe class DepthwiseKernel<TS, TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    public static void Band(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, in SgemmActivation act)
    {
        switch (act.Kind)
        {
            case SgemmActivationKind.Relu: Band(s, x, w, bias, res, y, r0, r1, new ReluEpilogue<TS, TV>()); break;
            case SgemmActivationKind.LeakyRelu: Band(s, x, w, bias, res, y, r0, r1, new LeakyReluEpilogue<TS, TV>(act.Alpha)); break;
            case SgemmActivationKind.Clip: Band(s, x, w, bias, res, y, r0, r1, new ClipEpilogue<TS, TV>(act.Alpha, act.Beta)); break;
            case SgemmActivationKind.HardSigmoid: Band(s, x, w, bias, res, y, r0, r1, new HardSigmoidEpilogue<TS, TV>(act.Alpha, act.Beta)); break;
            default: Band(s, x, w, bias, res, y, r0, r1, new IdentityEpilogue<TS, TV>()); break;
        }
        if (!DepthwiseConv.InRegister(act)) SgemmActivations.ApplyRow(y + (long)r0 * s.OW, (r1 - r0) * s.OW, 0f, null, null, act);
    }

    private static void Band<TE>(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, TE e)
        where TE : struct, IDepthwiseEpilogue<TV>
    {
        if (s.Is3x3) Band3x3(s, x, w, bias, res, y, r0, r1, e);
        else if (s.SW == 1) BandAny<ContiguousColumns<TS, TV>, TE>(s, x, w, bias, res, y, r0, r1, e);
        else if (s.SW == 2) BandAny<PairColumns<TS, TV>, TE>(s, x, w, bias, res, y, r0, r1, e);
        else BandAny<StridedColumns<TS, TV>, TE>(s, x, w, bias, res, y, r0, r1, e);
    }

    /// <summary>Any kernel, dilation and stride: taps read through <typeparamref name="TC"/>, weights broadcast from memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BandAny<TC, TE>(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, TE e)
        where TC : IDepthwiseColumns<TV> where TE : struct, IDepthwiseEpilogue<TV>
    {
        int width = TS.Width, ow = s.OW, reach = TC.Reach(s.SW) + (s.KW - 1) * s.DW;
        var vb = TS.Splat(bias);
        for (int ow0 = 0; ; ow0 += width)
        {
            if (ow0 + width > ow && ow >= width) ow0 = ow - width;
            int n = Math.Min(width, ow - ow0);
            int c0 = ow0 * s.SW - s.PadL;
            bool inside = c0 >= 0 && (long)c0 + reach <= s.W;
            for (int oh = r0; oh < r1; oh++)
            {
                long o = (long)oh * ow + ow0;
                var acc = Window<TC>(s, x, w, vb, oh, c0, inside);
                if (n == width) Finish<TE, FullStrip>(acc, y + o, res == null ? null : res + o, n, e);
                else Finish<TE, PartialStrip>(acc, y + o, res == null ? null : res + o, n, e);
            }
            if (ow0 + width >= ow) break;
        }
    }

    /// <summary>acc + the window sum of the vector of outputs (oh, columns from c0 on).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static TV Window<TC>(in DepthwiseShape s, float* x, float* w, TV acc, int oh, int c0, bool inside)
        where TC : IDepthwiseColumns<TV>
    {
        s.Taps(oh, out int ih0, out int lo, out int hi);
        int kwCount = s.KW, dw = s.DW, sw = s.SW, width = s.W;
        for (int kh = lo; kh < hi; kh++)
        {
            float* row = x + (long)(ih0 + kh * s.DH) * width + c0;
            float* wr = w + kh * kwCount;
            if (inside)
            {
                for (int kw = 0; kw < kwCount; kw++) acc = TS.MulAdd(TS.Splat(wr[kw]), TC.Load(row + kw * dw, sw), acc);
            }
            else
            {
                for (int kw = 0; kw < kwCount; kw++)
                {
                    int c = c0 + kw * dw;
                    acc = TS.MulAdd(TS.Splat(wr[kw]), TC.LoadRange(row + kw * dw, sw, -c, width - c), acc);
                }
            }
        }
        return acc;
    }

    /// <summary>3×3, undilated, horizontal stride 1 or 2: strip by strip through <see cref="Strip3x3{TL, TE, TK}"/>, plain or masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Band3x3<TE>(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, TE e)
        where TE : struct, IDepthwiseEpilogue<TV>
    {
        int width = TS.Width, ow = s.OW, iw = s.W, sw = s.SW;
        for (int ow0 = 0; ; ow0 += width)
        {
            if (ow0 + width > ow && ow >= width) ow0 = ow - width;
            int n = Math.Min(width, ow - ow0);
            int c0 = ow0 * sw - s.PadL;
            float* r = res == null ? null : res + ow0;
            var rows = new Rows3(s, r0, r1, n);
            if (n == width) Strip3x3<TE, FullStrip>(rows, x, w, bias, y + ow0, r, c0, e);
            else Strip3x3<TE, PartialStrip>(rows, x, w, bias, y + ow0, r, c0, e);
            if (ow0 + width >= ow) break;
        }
    }

    /// <summary>The rows of a band for <see cref="Strip3x3{TL, TE, TK}"/>: [R0, Top) and [Bottom, R1) cross the top or bottom edge.</summary>
    private readonly struct Rows3(in DepthwiseShape s, int r0, int r1, int n)
    {
        public readonly int N = n, R0 = r0, R1 = r1, SW = s.SW, Top = Math.Min(r1, Math.Max(r0, s.RowLo)),
            Bottom = Math.Max(Math.Min(r1, Math.Max(r0, s.RowLo)), Math.Min(r1, s.RowHi)),
            H = s.H, W = s.W, OW = s.OW, SH = s.SH, PadT = s.PadT;
    }

    /// <summary>
    /// One vector-wide strip down a band of a 3×3 window, x and y already offset to the strip's first column: the nine
    /// weights in registers; interior rows without vertical checks, two at a time when the vertical stride is 1 (they
    /// share two of their four input rows); edge rows with the kernel rows that exist.
    /// </summary>
    private static void Strip3x3<TE, TK>(in Rows3 rows, float* x, float* w, float bias, float* y, float* res, int c0, TE e)
        where TE : struct, IDepthwiseEpilogue<TV> where TK : IDepthwiseStripWidth
    {
        int width = TS.Width, iw = rows.W;
        if (rows.SW == 1)
        {
            if (c0 >= 0 && c0 + width + 2 <= iw) Strip3x3<Taps3Plain<TS, TV>, TE, TK>(new Taps3Plain<TS, TV>(), rows, x + c0, w, bias, y, res, e);
            else Strip3x3<Taps3Masked<TS, TV>, TE, TK>(new Taps3Masked<TS, TV>(c0, iw), rows, x + c0, w, bias, y, res, e);
        }
        else
        {
            if (c0 >= 0 && c0 + 2 * width + 2 <= iw) Strip3x3<Taps3PairPlain<TS, TV>, TE, TK>(new Taps3PairPlain<TS, TV>(), rows, x + c0, w, bias, y, res, e);
            else Strip3x3<Taps3PairMasked<TS, TV>, TE, TK>(new Taps3PairMasked<TS, TV>(c0, iw), rows, x + c0, w, bias, y, res, e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip3x3<TL, TE, TK>(TL taps, in Rows3 rows, float* x, float* w, float bias, float* y, float* res, TE e)
        where TL : struct, IDepthwiseTaps3<TV> where TE : struct, IDepthwiseEpilogue<TV> where TK : IDepthwiseStripWidth
    {
        TV w0 = TS.Splat(w[0]), w1 = TS.Splat(w[1]), w2 = TS.Splat(w[2]), w3 = TS.Splat(w[3]), w4 = TS.Splat(w[4]),
            w5 = TS.Splat(w[5]), w6 = TS.Splat(w[6]), w7 = TS.Splat(w[7]), w8 = TS.Splat(w[8]);
        var vb = TS.Splat(bias);
        int iw = rows.W, ow = rows.OW, sh = rows.SH, padT = rows.PadT, h = rows.H, top = rows.Top, bottom = rows.Bottom, n = rows.N;
        for (int pass = 0; pass < 2; pass++)
        {
            // Edge rows: the top ones on the first pass, the bottom ones on the second.
            int e0 = pass == 0 ? rows.R0 : bottom, e1 = pass == 0 ? top : rows.R1;
            for (int oh = e0; oh < e1; oh++)
            {
                int ih = oh * sh - padT;
                var acc = vb;
                if ((uint)ih < (uint)h)
                {
                    taps.Load(x + (long)ih * iw, out var t0, out var t1, out var t2);
                    acc = TS.MulAdd(w2, t2, TS.MulAdd(w1, t1, TS.MulAdd(w0, t0, acc)));
                }
                if ((uint)(ih + 1) < (uint)h)
                {
                    taps.Load(x + (long)(ih + 1) * iw, out var t0, out var t1, out var t2);
                    acc = TS.MulAdd(w5, t2, TS.MulAdd(w4, t1, TS.MulAdd(w3, t0, acc)));
                }
                if ((uint)(ih + 2) < (uint)h)
                {
                    taps.Load(x + (long)(ih + 2) * iw, out var t0, out var t1, out var t2);
                    acc = TS.MulAdd(w8, t2, TS.MulAdd(w7, t1, TS.MulAdd(w6, t0, acc)));
                }
                long o = (long)oh * ow;
                Finish<TE, TK>(acc, y + o, res == null ? null : res + o, n, e);
            }
            if (pass == 1) break;
            int r = top;
            float* src = x + (long)(top * sh - padT) * iw;
            // Each kernel row is summed on its own (three short FMA chains instead of one of nine, so fewer strips need
            // to be in flight to hide the FMA latency), then the three are added; paired and single rows use the same
            // order, so a row's bits do not depend on where a band starts.
            if (sh == 1)
            {
                for (; r + 2 <= bottom; r += 2, src += 2 * iw)
                {
                    taps.Load(src, out var t0, out var t1, out var t2);
                    var a0 = TS.MulAdd(w2, t2, TS.MulAdd(w1, t1, TS.MulAdd(w0, t0, vb)));
                    taps.Load(src + iw, out t0, out t1, out t2);
                    var b0 = TS.MulAdd(w5, t2, TS.MulAdd(w4, t1, TS.Mul(w3, t0)));
                    var a1 = TS.MulAdd(w2, t2, TS.MulAdd(w1, t1, TS.MulAdd(w0, t0, vb)));
                    taps.Load(src + 2 * iw, out t0, out t1, out t2);
                    var c0 = TS.MulAdd(w8, t2, TS.MulAdd(w7, t1, TS.Mul(w6, t0)));
                    var b1 = TS.MulAdd(w5, t2, TS.MulAdd(w4, t1, TS.Mul(w3, t0)));
                    taps.Load(src + 3 * iw, out t0, out t1, out t2);
                    var c1 = TS.MulAdd(w8, t2, TS.MulAdd(w7, t1, TS.Mul(w6, t0)));
                    long o = (long)r * ow;
                    Finish<TE, TK>(TS.Add(TS.Add(a0, b0), c0), y + o, res == null ? null : res + o, n, e);
                    Finish<TE, TK>(TS.Add(TS.Add(a1, b1), c1), y + o + ow, res == null ? null : res + o + ow, n, e);
                }
            }
            for (; r < bottom; r++, src += (long)sh * iw)
            {
                taps.Load(src, out var t0, out var t1, out var t2);
                var a = TS.MulAdd(w2, t2, TS.MulAdd(w1, t1, TS.MulAdd(w0, t0, vb)));
                taps.Load(src + iw, out t0, out t1, out t2);
                var b = TS.MulAdd(w5, t2, TS.MulAdd(w4, t1, TS.Mul(w3, t0)));
                taps.Load(src + 2 * iw, out t0, out t1, out t2);
                var c = TS.MulAdd(w8, t2, TS.MulAdd(w7, t1, TS.Mul(w6, t0)));
                long o = (long)r * ow;
                Finish<TE, TK>(TS.Add(TS.Add(a, b), c), y + o, res == null ? null : res + o, n, e);
            }
        }
    }

    /// <summary>+ residual, the in-register activation, store (the first n lanes of a partial strip).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TE, TK>(TV acc, float* dst, float* res, int n, TE e)
        where TE : struct, IDepthwiseEpilogue<TV> where TK : IDepthwiseStripWidth
    {
        if (TK.Full)
        {
            if (res != null) acc = TS.Add(acc, TS.Load(res));
            TS.Store(dst, e.Apply(acc));
        }
        else
        {
            if (res != null) acc = TS.Add(acc, TS.LoadMasked(res, TS.RangeMask(0, n)));
            TS.StoreFirst(dst, e.Apply(acc), n);
        }
    }
}
