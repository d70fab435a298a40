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
        var e = new Epilogue(act);
        if (s.SW == 1)
        {
            if (s.Is3x3) Band3x3Stride1(s, x, w, bias, res, y, r0, r1, e);
            else BandAny<ContiguousColumns<TS, TV>>(s, x, w, bias, res, y, r0, r1, e);
        }
        else if (s.SW == 2)
        {
            if (s.Is3x3) Band3x3Stride2(s, x, w, bias, res, y, r0, r1, e);
            else BandAny<PairColumns<TS, TV>>(s, x, w, bias, res, y, r0, r1, e);
        }
        else BandAny<StridedColumns<TS, TV>>(s, x, w, bias, res, y, r0, r1, e);
        if (!DepthwiseConv.InRegister(act)) SgemmActivations.ApplyRow(y + (long)r0 * s.OW, (r1 - r0) * s.OW, 0f, null, null, act);
    }

    /// <summary>Any kernel, dilation and stride: taps read through <typeparamref name="TC"/>, weights broadcast from memory.</summary>
    private static void BandAny<TC>(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, in Epilogue e)
        where TC : IDepthwiseColumns<TV>
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
                Finish(Window<TC>(s, x, w, vb, oh, c0, inside), y + o, res == null ? null : res + o, n, e);
            }
            if (ow0 + width >= ow) break;
        }
    }

    /// <summary>acc + the window sum of the vector of outputs (oh, columns from c0 on).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>3×3, stride (·, 1), no dilation: nine weights in registers, three loads per kernel row.</summary>
    private static void Band3x3Stride1(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, in Epilogue e)
    {
        int width = TS.Width, ow = s.OW, iw = s.W, padL = s.PadL, padT = s.PadT;
        long rowStep = (long)s.SH * iw;
        int top = Math.Min(r1, Math.Max(r0, s.RowLo)), bottom = Math.Max(top, Math.Min(r1, s.RowHi));
        TV w0 = TS.Splat(w[0]), w1 = TS.Splat(w[1]), w2 = TS.Splat(w[2]), w3 = TS.Splat(w[3]), w4 = TS.Splat(w[4]),
            w5 = TS.Splat(w[5]), w6 = TS.Splat(w[6]), w7 = TS.Splat(w[7]), w8 = TS.Splat(w[8]);
        var vb = TS.Splat(bias);
        for (int ow0 = 0; ; ow0 += width)
        {
            if (ow0 + width > ow && ow >= width) ow0 = ow - width;
            int n = Math.Min(width, ow - ow0);
            int c0 = ow0 - padL;
            bool inside = c0 >= 0 && c0 + width + 2 <= iw;
            for (int oh = r0; oh < top; oh++) Edge(s, x, w, vb, oh, ow0, c0, n, res, y, e);
            float* src = x + (top * s.SH - padT) * (long)iw + c0;
            long o = (long)top * ow + ow0;
            if (inside)
            {
                for (int oh = top; oh < bottom; oh++, src += rowStep, o += ow)
                {
                    float* p = src;
                    var acc = TS.MulAdd(w0, TS.Load(p), vb);
                    acc = TS.MulAdd(w1, TS.Load(p + 1), acc);
                    acc = TS.MulAdd(w2, TS.Load(p + 2), acc);
                    p += iw;
                    acc = TS.MulAdd(w3, TS.Load(p), acc);
                    acc = TS.MulAdd(w4, TS.Load(p + 1), acc);
                    acc = TS.MulAdd(w5, TS.Load(p + 2), acc);
                    p += iw;
                    acc = TS.MulAdd(w6, TS.Load(p), acc);
                    acc = TS.MulAdd(w7, TS.Load(p + 1), acc);
                    acc = TS.MulAdd(w8, TS.Load(p + 2), acc);
                    Finish(acc, y + o, res == null ? null : res + o, n, e);
                }
            }
            else
            {
                TV m0 = TS.RangeMask(-c0, iw - c0), m1 = TS.RangeMask(-c0 - 1, iw - c0 - 1), m2 = TS.RangeMask(-c0 - 2, iw - c0 - 2);
                for (int oh = top; oh < bottom; oh++, src += rowStep, o += ow)
                {
                    float* p = src;
                    var acc = TS.MulAdd(w0, TS.LoadMasked(p, m0), vb);
                    acc = TS.MulAdd(w1, TS.LoadMasked(p + 1, m1), acc);
                    acc = TS.MulAdd(w2, TS.LoadMasked(p + 2, m2), acc);
                    p += iw;
                    acc = TS.MulAdd(w3, TS.LoadMasked(p, m0), acc);
                    acc = TS.MulAdd(w4, TS.LoadMasked(p + 1, m1), acc);
                    acc = TS.MulAdd(w5, TS.LoadMasked(p + 2, m2), acc);
                    p += iw;
                    acc = TS.MulAdd(w6, TS.LoadMasked(p, m0), acc);
                    acc = TS.MulAdd(w7, TS.LoadMasked(p + 1, m1), acc);
                    acc = TS.MulAdd(w8, TS.LoadMasked(p + 2, m2), acc);
                    Finish(acc, y + o, res == null ? null : res + o, n, e);
                }
            }
            for (int oh = bottom; oh < r1; oh++) Edge(s, x, w, vb, oh, ow0, c0, n, res, y, e);
            if (ow0 + width >= ow) break;
        }
    }

    /// <summary>
    /// 3×3, stride (·, 2), no dilation: per kernel row, two vector pairs deinterleaved give the three taps (even and odd
    /// of the pair at c, even of the pair at c + 2).
    /// </summary>
    private static void Band3x3Stride2(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, in Epilogue e)
    {
        int width = TS.Width, ow = s.OW, iw = s.W, padL = s.PadL, padT = s.PadT;
        long rowStep = (long)s.SH * iw;
        int top = Math.Min(r1, Math.Max(r0, s.RowLo)), bottom = Math.Max(top, Math.Min(r1, s.RowHi));
        TV w0 = TS.Splat(w[0]), w1 = TS.Splat(w[1]), w2 = TS.Splat(w[2]), w3 = TS.Splat(w[3]), w4 = TS.Splat(w[4]),
            w5 = TS.Splat(w[5]), w6 = TS.Splat(w[6]), w7 = TS.Splat(w[7]), w8 = TS.Splat(w[8]);
        var vb = TS.Splat(bias);
        for (int ow0 = 0; ; ow0 += width)
        {
            if (ow0 + width > ow && ow >= width) ow0 = ow - width;
            int n = Math.Min(width, ow - ow0);
            int c0 = 2 * ow0 - padL;
            bool inside = c0 >= 0 && c0 + 2 * width + 2 <= iw;
            for (int oh = r0; oh < top; oh++) Edge(s, x, w, vb, oh, ow0, c0, n, res, y, e);
            float* src = x + (top * s.SH - padT) * (long)iw + c0;
            long o = (long)top * ow + ow0;
            if (inside)
            {
                for (int oh = top; oh < bottom; oh++, src += rowStep, o += ow)
                {
                    float* p = src;
                    var a = TS.Load(p);
                    var b = TS.Load(p + width);
                    var acc = TS.MulAdd(w0, TS.Even(a, b), vb);
                    acc = TS.MulAdd(w1, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w2, TS.Even(TS.Load(p + 2), TS.Load(p + 2 + width)), acc);
                    p += iw;
                    a = TS.Load(p);
                    b = TS.Load(p + width);
                    acc = TS.MulAdd(w3, TS.Even(a, b), acc);
                    acc = TS.MulAdd(w4, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w5, TS.Even(TS.Load(p + 2), TS.Load(p + 2 + width)), acc);
                    p += iw;
                    a = TS.Load(p);
                    b = TS.Load(p + width);
                    acc = TS.MulAdd(w6, TS.Even(a, b), acc);
                    acc = TS.MulAdd(w7, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w8, TS.Even(TS.Load(p + 2), TS.Load(p + 2 + width)), acc);
                    Finish(acc, y + o, res == null ? null : res + o, n, e);
                }
            }
            else
            {
                TV ma = TS.RangeMask(-c0, iw - c0), mb = TS.RangeMask(-c0 - width, iw - c0 - width),
                    mc = TS.RangeMask(-c0 - 2, iw - c0 - 2), md = TS.RangeMask(-c0 - 2 - width, iw - c0 - 2 - width);
                for (int oh = top; oh < bottom; oh++, src += rowStep, o += ow)
                {
                    float* p = src;
                    var a = TS.LoadMasked(p, ma);
                    var b = TS.LoadMasked(p + width, mb);
                    var acc = TS.MulAdd(w0, TS.Even(a, b), vb);
                    acc = TS.MulAdd(w1, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w2, TS.Even(TS.LoadMasked(p + 2, mc), TS.LoadMasked(p + 2 + width, md)), acc);
                    p += iw;
                    a = TS.LoadMasked(p, ma);
                    b = TS.LoadMasked(p + width, mb);
                    acc = TS.MulAdd(w3, TS.Even(a, b), acc);
                    acc = TS.MulAdd(w4, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w5, TS.Even(TS.LoadMasked(p + 2, mc), TS.LoadMasked(p + 2 + width, md)), acc);
                    p += iw;
                    a = TS.LoadMasked(p, ma);
                    b = TS.LoadMasked(p + width, mb);
                    acc = TS.MulAdd(w6, TS.Even(a, b), acc);
                    acc = TS.MulAdd(w7, TS.Odd(a, b), acc);
                    acc = TS.MulAdd(w8, TS.Even(TS.LoadMasked(p + 2, mc), TS.LoadMasked(p + 2 + width, md)), acc);
                    Finish(acc, y + o, res == null ? null : res + o, n, e);
                }
            }
            for (int oh = bottom; oh < r1; oh++) Edge(s, x, w, vb, oh, ow0, c0, n, res, y, e);
            if (ow0 + width >= ow) break;
        }
    }

    /// <summary>A row whose window crosses the top or bottom edge, in the 3×3 paths (stride 1 or 2, always masked).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Edge(in DepthwiseShape s, float* x, float* w, TV vb, int oh, int ow0, int c0, int n, float* res, float* y, in Epilogue e)
    {
        var acc = s.SW == 1 ? Window<ContiguousColumns<TS, TV>>(s, x, w, vb, oh, c0, false) : Window<PairColumns<TS, TV>>(s, x, w, vb, oh, c0, false);
        long o = (long)oh * s.OW + ow0;
        Finish(acc, y + o, res == null ? null : res + o, n, e);
    }

    /// <summary>+ residual, the in-register activation, store (the first n lanes when the strip is partial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(TV acc, float* dst, float* res, int n, in Epilogue e)
    {
        bool full = n == TS.Width;
        if (res != null) acc = TS.Add(acc, full ? TS.Load(res) : TS.LoadMasked(res, TS.RangeMask(0, n)));
        switch (e.Kind)
        {
            case SgemmActivationKind.Relu: acc = TS.Relu(acc); break;
            case SgemmActivationKind.LeakyRelu: acc = TS.LeakyRelu(acc, e.Alpha); break;
            case SgemmActivationKind.Clip: acc = TS.Clip(acc, e.Alpha, e.Beta); break;
            case SgemmActivationKind.HardSigmoid: acc = TS.Clip(TS.MulAdd(acc, e.Alpha, e.Beta), TS.Splat(0f), TS.Splat(1f)); break;
        }
        if (full) TS.Store(dst, acc);
        else TS.StoreFirst(dst, acc, n);
    }

    /// <summary>The activation's kind and its parameters splatted once per band.</summary>
    private readonly struct Epilogue(in SgemmActivation a)
    {
        public readonly SgemmActivationKind Kind = a.Kind;
        public readonly TV Alpha = TS.Splat(a.Alpha);
        public readonly TV Beta = TS.Splat(a.Beta);
    }
}
