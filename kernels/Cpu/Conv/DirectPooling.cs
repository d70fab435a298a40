using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Vectorized float32 max and average pooling over 1-D/2-D planes (any kernel, stride, dilation, pads, ceil-mode
/// overhang): each plane is copied once into a padded stride-phase scratch (<see cref="PaddedPlane"/>; −∞ pads for
/// max, 0 for average) and each output vector reduces all window taps in a register. Same results as
/// <see cref="Pooling.Run"/> with <see cref="MaxReducer{T}"/> / <see cref="AverageReducer{T}"/>: NaNs are skipped by
/// max and a window without a non-NaN in-bounds value yields 0; the average divides by the in-bounds count or, with
/// countPadding, the count inside the padded input.
/// </summary>
public static unsafe class DirectPooling
{
    private const long ParallelThreshold = 1L << 15;

    /// <summary>True when the geometry has 1 or 2 spatial dims.</summary>
    public static bool Supports(SpatialGeometry g) => g.Rank <= 2;

    /// <summary>Max pooling of <paramref name="planes"/> planes of x into y.</summary>
    public static void Max(ReadOnlySpan<float> x, int planes, SpatialGeometry g, Span<float> y) =>
        Run(x, planes, g, default, y, max: true, countPadding: false);

    /// <summary>Average pooling; <paramref name="padEnd"/> gives the trailing pads (for the padded count).</summary>
    public static void Average(ReadOnlySpan<float> x, int planes, SpatialGeometry g, ReadOnlySpan<int> padEnd, bool countPadding, Span<float> y)
    {
        if (padEnd.Length != g.Rank) throw new ArgumentException("padEnd needs one entry per spatial dimension.");
        Run(x, planes, g, padEnd, y, max: false, countPadding);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(ReadOnlySpan<float> x, int planes, SpatialGeometry g, ReadOnlySpan<int> padEnd, Span<float> y, bool max, bool countPadding)
    {
        if (!Supports(g)) throw new NotSupportedException("DirectPooling handles 1-D and 2-D geometries.");
        if (planes < 0 || (long)planes * g.InputSize > x.Length || (long)planes * g.OutputSize > y.Length)
            throw new ArgumentException("Pooling buffers are smaller than the geometry needs.");
        if (planes == 0 || g.OutputSize == 0) return;
        var layout = new PaddedPlane(g);
        var taps = new int[g.KernelSize];
        for (int kh = 0, t = 0; kh < g.Kernel3[1]; kh++)
            for (int kw = 0; kw < g.Kernel3[2]; kw++, t++) taps[t] = layout.TapOffset(kh, kw, g);
        float[]? inverse = max ? null : InverseCounts(g, padEnd, countPadding);
        fixed (float* px = x)
        fixed (float* py = y)
        {
            var job = new Job((nint)px, (nint)py, g, layout, taps, inverse);
            if ((long)planes * g.OutputSize * g.KernelSize >= ParallelThreshold && planes > 1) KernelParallelism.For(0, planes, job.Plane);
            else for (int p = 0; p < planes; p++) job.Plane(p);
        }
    }

    /// <summary>1 / divisor for every output position of a plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] InverseCounts(SpatialGeometry g, ReadOnlySpan<int> padEnd, bool countPadding)
    {
        var end3 = new int[3];
        for (int i = 0; i < g.Rank; i++) end3[3 - g.Rank + i] = padEnd[i];
        var rh = new Pooling.AxisRanges(g, 1, end3[1]);
        var rw = new Pooling.AxisRanges(g, 2, end3[2]);
        int oh = g.Out3[1], ow = g.Out3[2];
        var inv = new float[oh * ow];
        for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++)
            {
                int n = countPadding ? rh.Padded[r] * rw.Padded[c] : (rh.Hi[r] - rh.Lo[r]) * (rw.Hi[c] - rw.Lo[c]);
                inv[r * ow + c] = 1f / n;
            }
        return inv;
    }

    private sealed class Job(nint x, nint y, SpatialGeometry g, PaddedPlane layout, int[] taps, float[]? inverse)
    {
        public void Plane(int p)
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(layout.Length, 1));
            try
            {
                fixed (float* plane = scratch)
                fixed (int* tp = taps)
                fixed (float* inv = inverse)
                {
                    float* src = (float*)x + (long)p * g.InputSize, dst = (float*)y + (long)p * g.OutputSize;
                    layout.Fill(src, plane, inverse is null ? float.NegativeInfinity : 0f);
                    int ow = g.Out3[2];
                    if (Vector512.IsHardwareAccelerated && ow >= 16) Rows<Simd512, Vector512<float>>(plane, tp, inv, src, dst);
                    else if (Vector256.IsHardwareAccelerated && ow >= 8) Rows<Simd256, Vector256<float>>(plane, tp, inv, src, dst);
                    else if (Vector128.IsHardwareAccelerated && ow >= 4) Rows<Simd128, Vector128<float>>(plane, tp, inv, src, dst);
                    else ScalarRows(plane, tp, inv, src, dst);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Rows<TS, TV>(float* plane, int* tp, float* inv, float* src, float* y) where TS : ISimdFloat<TV> where TV : struct
        {
            int oh = g.Out3[1], ow = g.Out3[2], kernel = g.KernelSize, width = TS.Width;
            long rowStep = (long)g.Stride3[1] * layout.RowStride;
            for (int r = 0; r < oh; r++)
            {
                float* s0 = plane + r * rowStep;
                float* dst = y + (long)r * ow;
                for (int j = 0; ; j += width)
                {
                    if (j + width > ow) j = ow - width;
                    float* s = s0 + j;
                    if (inv == null)
                    {
                        var acc = TS.Load(s + tp[0]);
                        for (int t = 1; t < kernel; t++) acc = TS.MaxKeep(acc, TS.Load(s + tp[t]));
                        TS.Store(dst + j, acc);
                        // −∞ (or NaN from a NaN first tap) marks windows needing the exact scalar rule.
                        if (TS.AnyEqual(acc, float.NegativeInfinity) || TS.AnyNaN(acc))
                            for (int i = 0; i < width; i++)
                                if (!(dst[j + i] > float.NegativeInfinity)) dst[j + i] = MaxWindow(src, r, j + i);
                    }
                    else
                    {
                        var acc = TS.Load(s + tp[0]);
                        for (int t = 1; t < kernel; t++) acc = TS.Add(acc, TS.Load(s + tp[t]));
                        TS.Store(dst + j, TS.Mul(acc, TS.Load(inv + (long)r * ow + j)));
                    }
                    if (j + width >= ow) break;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ScalarRows(float* plane, int* tp, float* inv, float* src, float* y)
        {
            int oh = g.Out3[1], ow = g.Out3[2], kernel = g.KernelSize;
            long rowStep = (long)g.Stride3[1] * layout.RowStride;
            for (int r = 0; r < oh; r++)
                for (int j = 0; j < ow; j++)
                {
                    float* s = plane + r * rowStep + j;
                    long o = (long)r * ow + j;
                    if (inv == null) y[o] = MaxWindow(src, r, j);
                    else
                    {
                        float acc = 0f;
                        for (int t = 0; t < kernel; t++) acc += s[tp[t]];
                        y[o] = acc * inv[o];
                    }
                }
        }

        /// <summary>The max-reducer rule on one window of the original plane: NaNs skipped, 0 when nothing is left.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private float MaxWindow(float* src, int oh, int ow)
        {
            int[] i3 = g.In3, k3 = g.Kernel3, s3 = g.Stride3, d3 = g.Dilation3, p3 = g.Pad3;
            bool any = false;
            float best = 0f;
            for (int kh = 0; kh < k3[1]; kh++)
            {
                int ih = oh * s3[1] - p3[1] + kh * d3[1];
                if ((uint)ih >= (uint)i3[1]) continue;
                for (int kw = 0; kw < k3[2]; kw++)
                {
                    int iw = ow * s3[2] - p3[2] + kw * d3[2];
                    if ((uint)iw >= (uint)i3[2]) continue;
                    float v = src[(long)ih * i3[2] + iw];
                    if (float.IsNaN(v)) continue;
                    if (!any || v > best) { best = v; any = true; }
                }
            }
            return best;
        }
    }
}
