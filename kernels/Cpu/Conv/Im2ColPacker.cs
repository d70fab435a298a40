using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The im2col matrix of one image (rows = channels·KernelSize, columns = output positions) produced straight into
/// SGEMM's packed B panels (<see cref="ISgemmBPacker"/>), so the column matrix is never materialized. Each panel row
/// (one channel and window offset) is a walk over output rows: runs that fall into padding are zeroed, the rest
/// copied (stride 1) or deinterleaved (stride 2 and up) from the image row, split at the NR-wide strip boundaries.
/// </summary>
internal sealed unsafe class Im2ColPacker(float* image, SpatialGeometry g, int panelWidth) : ISgemmBPacker
{
    public void PackPanel(int k0, int kc, int j0, int nc, Span<float> panel)
    {
        int nr = panelWidth;
        long stripStride = (long)kc * nr;
        if (panel.Length < (nc + nr - 1) / nr * stripStride) throw new ArgumentException("Panel buffer is too small.");
        int[] inp = g.In3, st = g.Stride3, dil = g.Dilation3, pad = g.Pad3, outp = g.Out3, k3 = g.Kernel3;
        int ow0 = j0 % outp[2], t0 = j0 / outp[2], oh0 = t0 % outp[1], od0 = t0 / outp[1];
        fixed (float* pan = panel)
        {
            // The last strip's columns past nc must be zero.
            int tail = nc % nr;
            if (tail != 0)
            {
                float* last = pan + nc / nr * stripStride;
                for (int p = 0; p < kc; p++) new Span<float>(last + (long)p * nr + tail, nr - tail).Clear();
            }
            for (int p = 0; p < kc; p++)
            {
                int row = k0 + p;
                int kw = row % k3[2], r1 = row / k3[2], kh = r1 % k3[1], r2 = r1 / k3[1], kd = r2 % k3[0], c = r2 / k3[0];
                float* plane = image + (long)c * g.InputSize;
                float* rowBase = pan + (long)p * nr;
                int offW = kw * dil[2] - pad[2];
                int ow = ow0, oh = oh0, od = od0, done = 0;
                while (done < nc)
                {
                    int run = Math.Min(nc - done, outp[2] - ow);
                    int id = od * st[0] - pad[0] + kd * dil[0];
                    int ih = oh * st[1] - pad[1] + kh * dil[1];
                    if ((uint)id >= (uint)inp[0] || (uint)ih >= (uint)inp[1])
                    {
                        Zero(rowBase, stripStride, nr, done, done + run);
                    }
                    else
                    {
                        float* src = plane + ((long)id * inp[1] + ih) * inp[2];
                        var (lo, hi) = Im2Col.ValidRange(ow, run, st[2], offW, inp[2]);
                        if (lo > 0) Zero(rowBase, stripStride, nr, done, done + lo);
                        if (hi > lo) Copy(rowBase, stripStride, nr, done + lo, done + hi, src + (long)(ow + lo) * st[2] + offW, st[2]);
                        if (hi < run) Zero(rowBase, stripStride, nr, done + Math.Max(hi, lo), done + run);
                    }
                    done += run;
                    ow = 0;
                    if (++oh == outp[1]) { oh = 0; od++; }
                }
            }
        }
    }

    /// <summary>Zeroes panel-row columns [q0, q1), split at strip boundaries.</summary>
    private static void Zero(float* rowBase, long stripStride, int nr, int q0, int q1)
    {
        while (q0 < q1)
        {
            int off = q0 % nr, len = Math.Min(nr - off, q1 - q0);
            new Span<float>(rowBase + q0 / nr * stripStride + off, len).Clear();
            q0 += len;
        }
    }

    /// <summary>Panel-row columns [q0, q1) = src[0], src[stride], …, split at strip boundaries.</summary>
    private static void Copy(float* rowBase, long stripStride, int nr, int q0, int q1, float* src, int stride)
    {
        while (q0 < q1)
        {
            int off = q0 % nr, len = Math.Min(nr - off, q1 - q0);
            float* dst = rowBase + q0 / nr * stripStride + off;
            if (stride == 1) CopyShort(src, dst, len);
            else PaddedPlane.StridedCopy(src, stride, dst, len);
            src += (long)len * stride;
            q0 += len;
        }
    }

    /// <summary>A copy of at most one strip width, inline (a memmove call would cost more than the copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(float* src, float* dst, int n)
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
}
