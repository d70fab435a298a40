using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The im2col matrix of one image (rows = channels·KernelSize, columns = output positions) produced straight into
/// SGEMM's packed B panels (<see cref="ISgemmBPacker"/>), so the column matrix is never materialized.
/// </summary>
/// <remarks>
/// Strip by strip (NR output positions, written contiguously): the strip's positions are cut once into runs along
/// output rows; then every panel row (one channel and window offset, walked with counters, no divisions) copies each
/// run from the image row it reads (stride 1: a short vector copy; stride ≥ 2: a deinterleave), zeroing the parts
/// that fall into padding. The valid output-column range of each kernel column is computed once per call.
/// </remarks>
internal sealed unsafe class Im2ColPacker : ISgemmBPacker
{
    private readonly float* _image;
    private readonly SpatialGeometry _g;
    private readonly int _nr;
    /// <summary>Per kernel column kw: the output columns [OwLo, OwHi) whose input column lies inside the image.</summary>
    private readonly int[] _owLo, _owHi;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Im2ColPacker(float* image, SpatialGeometry g, int panelWidth)
    {
        _image = image;
        _g = g;
        _nr = panelWidth;
        int kwCount = g.Kernel3[2], sw = g.Stride3[2], width = g.In3[2], ow = g.Out3[2];
        _owLo = new int[kwCount];
        _owHi = new int[kwCount];
        for (int kw = 0; kw < kwCount; kw++)
        {
            long off = (long)kw * g.Dilation3[2] - g.Pad3[2];           // input column = ow·sw + off
            long lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
            long hi = width - off <= 0 ? 0 : (width - off + sw - 1) / sw;
            lo = Math.Clamp(lo, 0, ow);
            _owLo[kw] = (int)lo;
            _owHi[kw] = (int)Math.Clamp(hi, lo, ow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackPanel(int k0, int kc, int j0, int nc, Span<float> panel)
    {
        int nr = _nr;
        int strips = (nc + nr - 1) / nr;
        if (panel.Length < (long)strips * kc * nr) throw new ArgumentException("Panel buffer is too small.");
        var g = _g;
        int[] inp = g.In3, st = g.Stride3, dil = g.Dilation3, pad = g.Pad3, outp = g.Out3, k3 = g.Kernel3;
        int outW = outp[2], outH = outp[1];
        // Runs of one strip: destination column, output (od, oh, ow) and length. At most nr of them.
        int* segDst = stackalloc int[nr], segOd = stackalloc int[nr], segOh = stackalloc int[nr], segOw = stackalloc int[nr], segLen = stackalloc int[nr];
        int ow0 = j0 % outW, t0 = j0 / outW, oh0 = t0 % outH, od0 = t0 / outH;
        int kw0 = k0 % k3[2], r1 = k0 / k3[2], kh0 = r1 % k3[1], r2 = r1 / k3[1], kd0 = r2 % k3[0], c0 = r2 / k3[0];
        fixed (float* pan = panel)
        fixed (int* owLo = _owLo, owHi = _owHi)
        {
            for (int s = 0; s < strips; s++)
            {
                int count = Math.Min(nr, nc - s * nr);
                int segs = 0;
                for (int q = 0; q < count;)
                {
                    int len = Math.Min(count - q, outW - ow0);
                    segDst[segs] = q; segOd[segs] = od0; segOh[segs] = oh0; segOw[segs] = ow0; segLen[segs] = len;
                    segs++;
                    q += len;
                    ow0 += len;
                    if (ow0 == outW) { ow0 = 0; if (++oh0 == outH) { oh0 = 0; od0++; } }
                }
                float* strip = pan + (long)s * kc * nr;
                int kw = kw0, kh = kh0, kd = kd0, c = c0;
                for (int p = 0; p < kc; p++)
                {
                    float* dst = strip + (long)p * nr;
                    float* plane = _image + (long)c * g.InputSize;
                    int lo0 = owLo[kw], hi0 = owHi[kw], offW = kw * dil[2] - pad[2];
                    for (int i = 0; i < segs; i++)
                    {
                        float* d = dst + segDst[i];
                        int len = segLen[i], ow = segOw[i];
                        int id = segOd[i] * st[0] - pad[0] + kd * dil[0];
                        int ih = segOh[i] * st[1] - pad[1] + kh * dil[1];
                        if ((uint)id >= (uint)inp[0] || (uint)ih >= (uint)inp[1])
                        {
                            ZeroShort(d, len);
                            continue;
                        }
                        int lo = Math.Clamp(lo0 - ow, 0, len), hi = Math.Clamp(hi0 - ow, lo, len);
                        if (lo > 0) ZeroShort(d, lo);
                        if (hi > lo)
                        {
                            float* src = plane + ((long)id * inp[1] + ih) * inp[2] + (long)(ow + lo) * st[2] + offW;
                            if (st[2] == 1) CopyShort(src, d + lo, hi - lo);
                            else PaddedPlane.StridedCopy(src, st[2], d + lo, hi - lo);
                        }
                        if (hi < len) ZeroShort(d + hi, len - hi);
                    }
                    if (count < nr) ZeroShort(dst + count, nr - count);
                    if (++kw == k3[2]) { kw = 0; if (++kh == k3[1]) { kh = 0; if (++kd == k3[0]) { kd = 0; c++; } } }
                }
            }
        }
    }

    /// <summary>A copy of at most one strip width, inline (a memmove call would cost more than the copy); also used by
    /// <see cref="WindowConvolution"/>'s packer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void CopyShort(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Vector512.Load(src + i).Store(dst + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256.Load(src + i).Store(dst + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) Vector128.Load(src + i).Store(dst + i);
        for (; i < n; i++) dst[i] = src[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ZeroShort(float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Vector512<float>.Zero.Store(dst + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256<float>.Zero.Store(dst + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) Vector128<float>.Zero.Store(dst + i);
        for (; i < n; i++) dst[i] = 0f;
    }
}
