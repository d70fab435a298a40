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
        if (CoversPlane(g, padEnd) && (long)planes * g.InputSize <= x.Length && planes <= y.Length)
        {
            // One window over the whole unpadded plane (ResNet's final 7×7 average): a plane mean.
            GlobalPooling.Average(x[..(planes * g.InputSize)], planes, g.InputSize, y);
            return;
        }
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
        float[]? columns = FlatApplies(g) ? ArrayPool<float>.Shared.Rent(g.InputSize) : null;
        try
        {
            if (columns is not null)
                for (int i = 0, w = g.In3[2]; i < g.InputSize; i++) columns[i] = i % w;
            fixed (float* px = x)
            fixed (float* py = y)
            fixed (float* pc = columns)
            {
                var job = new Job((nint)px, (nint)py, g, layout, taps, inverse, (nint)pc);
                if ((long)planes * g.OutputSize * g.KernelSize >= ParallelThreshold && planes > 1) KernelParallelism.For(0, planes, job.Plane);
                else for (int p = 0; p < planes; p++) job.Plane(p);
            }
        }
        finally
        {
            if (columns is not null) ArrayPool<float>.Shared.Return(columns);
        }
    }

    /// <summary>Planes at most this many floats take the flat path (its scratch lives on the stack).</summary>
    private const int FlatMaxPlane = 4096;

    /// <summary>
    /// The flat path's conditions: a small plane, no dilation, leading pads smaller than the kernel, a kernel no larger
    /// than the input, and every window's first position inside the input (so each window holds an input cell).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FlatApplies(SpatialGeometry g)
    {
        int h = g.In3[1], w = g.In3[2];
        if (g.InputSize > FlatMaxPlane || g.InputSize < 4 || g.OutputSize == 0) return false;
        for (int a = 1; a < 3; a++)
        {
            if (g.Dilation3[a] != 1 || g.Pad3[a] >= g.Kernel3[a] || g.Kernel3[a] > g.In3[a] || g.Kernel3[a] > 64) return false;
            // Stride 1 and an output as large as the input (same padding): the flat result is the output. Strided pools
            // were measured slower this way (the cells between strides are computed and dropped).
            if (g.Stride3[a] != 1 || g.Out3[a] != g.In3[a]) return false;
        }
        return h * w == g.InputSize;
    }

    /// <summary>True when the only window is the whole plane: one output, kernel = input, no pads, no dilation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CoversPlane(SpatialGeometry g, ReadOnlySpan<int> padEnd)
    {
        if (g.OutputSize != 1 || g.InputSize == 0) return false;
        for (int i = 0; i < g.Rank; i++)
            if (g.Kernel[i] != g.Input[i] || g.PadBegin[i] != 0 || padEnd[i] != 0 || g.Dilations[i] != 1) return false;
        return true;
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

    private sealed class Job(nint x, nint y, SpatialGeometry g, PaddedPlane layout, int[] taps, float[]? inverse, nint columns)
    {
        /// <summary>Floats of per-plane scratch below which it lives on the stack.</summary>
        private const int StackScratch = 4096;

        /// <summary>Wider kernels take the padded path (the separable one keeps a tap table on the stack).</summary>
        private const int MaxSeparableKernel = 256;

        public void Plane(int p)
        {
            float* src = (float*)x + (long)p * g.InputSize, dst = (float*)y + (long)p * g.OutputSize;
            int ow = g.Out3[2], iw = g.In3[2];
            fixed (float* inv = inverse)
            {
                int n = g.InputSize;
                if (columns != 0 && Vector512.IsHardwareAccelerated && n >= 16) Flat<Simd512, Vector512<float>>(src, dst, inv);
                else if (columns != 0 && Vector256.IsHardwareAccelerated && n >= 8) Flat<Simd256, Vector256<float>>(src, dst, inv);
                else if (columns != 0 && Vector128.IsHardwareAccelerated && n >= 4) Flat<Simd128, Vector128<float>>(src, dst, inv);
                else if (g.Kernel3[2] > MaxSeparableKernel || g.Kernel3[1] > MaxSeparableKernel) Padded(src, dst, inv);
                else if (Vector512.IsHardwareAccelerated && ow >= 16 && iw >= 16) Separable<Simd512, Vector512<float>>(src, dst, inv);
                else if (Vector256.IsHardwareAccelerated && ow >= 8 && iw >= 8) Separable<Simd256, Vector256<float>>(src, dst, inv);
                else if (Vector128.IsHardwareAccelerated && ow >= 4 && iw >= 4) Separable<Simd128, Vector128<float>>(src, dst, inv);
                else Padded(src, dst, inv);
            }
        }

        /// <summary>Tiny planes (or no SIMD): the padded stride-phase copy and a scalar sweep over its taps.</summary>
        private void Padded(float* src, float* dst, float* inv)
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(layout.Length, 1));
            try
            {
                fixed (float* plane = scratch)
                fixed (int* tp = taps)
                {
                    layout.Fill(src, plane, inv is null ? float.NegativeInfinity : 0f);
                    ScalarRows(plane, tp, inv, src, dst);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        /// <summary>
        /// Separable pooling, one output row at a time, straight from the source plane: the row's in-bounds input rows
        /// are reduced column-wise into a padded row buffer (pad cells hold the fill value), the buffer is split into its
        /// stride phases (stride 1 needs no split), and each output vector reduces the kernel's columns as contiguous
        /// loads of those phases. Max: NaNs are skipped as by <see cref="MaxWindow"/>; an output row whose column
        /// reduction may hold a NaN (max keeps a NaN met first), and any window left at −∞, take the scalar rule instead.
        /// </summary>
        private void Separable<TS, TV>(float* src, float* dst, float* inv) where TS : ISimdFloat<TV> where TV : struct
        {
            if (inv == null) Separable<TS, TV, MaxKind>(src, dst, inv);
            else Separable<TS, TV, SumKind>(src, dst, inv);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Separable<TS, TV, TKind>(float* src, float* dst, float* inv) where TS : ISimdFloat<TV> where TV : struct
            where TKind : struct, IPoolKind
        {
            int h = g.In3[1], w = g.In3[2], oh = g.Out3[1], ow = g.Out3[2];
            int kh = g.Kernel3[1], kw = g.Kernel3[2], sh = g.Stride3[1], sw = g.Stride3[2];
            int dh = g.Dilation3[1], dw = g.Dilation3[2], padTop = g.Pad3[1], padLeft = g.Pad3[2];
            int width = TS.Width;
            bool max = TKind.IsMax;
            float fill = max ? float.NegativeInfinity : 0f;
            // Padded columns the windows reach: [0, span); padded column c is input column c − padLeft.
            int span = (ow - 1) * sw + (kw - 1) * dw + 1;
            int phaseWidth = (span + sw - 1) / sw;
            int cols = Math.Clamp(span - padLeft, 0, w); // input columns any window reads
            // The row buffer has room for the whole vectors the two-phase split reads past span.
            int phaseStride = phaseWidth + 2 * width;
            int rowLength = sw * phaseStride + 2 * width;
            long need = rowLength + (sw > 1 ? (long)sw * phaseStride : 0) + kh;
            float[]? rented = need > StackScratch ? ArrayPool<float>.Shared.Rent((int)need) : null;
            float* stack = stackalloc float[rented is null ? (int)need : 1];
            int* tapOffset = stackalloc int[kw];
            for (int t = 0; t < kw; t++) tapOffset[t] = (t * dw) % sw * (sw > 1 ? phaseStride : 0) + (t * dw) / sw;
            float** rows = stackalloc float*[kh];
            fixed (float* heap = rented)
            {
                float* row = rented is null ? stack : heap;
                float* phases = sw > 1 ? row + rowLength : row;
                new Span<float>(row, rowLength).Fill(fill);
                float* line = row + padLeft;
                for (int r = 0; r < oh; r++)
                {
                    int first = r * sh - padTop, used = 0;
                    for (int t = 0; t < kh; t++)
                    {
                        int ih = first + t * dh;
                        if ((uint)ih < (uint)h) rows[used++] = src + (long)ih * w;
                    }
                    bool suspect = used == 0 ? Fill(line, cols, fill) : Columns<TS, TV, TKind>(rows, used, line, cols);
                    if (sw == 2)
                    {
                        float* even = phases, odd = phases + phaseStride;
                        for (int j = 0; j < phaseWidth; j += width)
                        {
                            var lo = TS.Load(row + 2 * j);
                            var hi = TS.Load(row + 2 * j + width);
                            TS.Store(even + j, TS.Evens(lo, hi));
                            TS.Store(odd + j, TS.Odds(lo, hi));
                        }
                    }
                    else if (sw > 2)
                        for (int ph = 0; ph < sw; ph++)
                            PaddedPlane.StridedCopy(row + ph, sw, phases + ph * phaseStride, (span - ph + sw - 1) / sw);
                    float* o = dst + (long)r * ow;
                    if (max && suspect)
                    {
                        for (int j = 0; j < ow; j++) o[j] = MaxWindow(src, r, j);
                        continue;
                    }
                    for (int j = 0; ; j += width)
                    {
                        if (j + width > ow) j = ow - width;
                        float* q = phases + j;
                        var acc = TS.Load(q + tapOffset[0]);
                        if (max)
                        {
                            for (int t = 1; t < kw; t++) acc = TS.MaxKeep(acc, TS.Load(q + tapOffset[t]));
                            TS.Store(o + j, acc);
                            if (TS.AnyEqual(acc, float.NegativeInfinity))
                                for (int i = 0; i < width; i++)
                                    if (o[j + i] == float.NegativeInfinity) o[j + i] = MaxWindow(src, r, j + i);
                        }
                        else
                        {
                            for (int t = 1; t < kw; t++) acc = TS.Add(acc, TS.Load(q + tapOffset[t]));
                            TS.Store(o + j, TS.Mul(acc, TS.Load(inv + (long)r * ow + j)));
                        }
                        if (j + width >= ow) break;
                    }
                }
            }
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        }

        private void Flat<TS, TV>(float* src, float* dst, float* inv) where TS : ISimdFloat<TV> where TV : struct
        {
            if (inv == null) Flat<TS, TV, MaxKind>(src, dst, inv);
            else Flat<TS, TV, SumKind>(src, dst, inv);
        }

        /// <summary>
        /// Small planes, reduced as one flat array rather than row by row (a 14-wide row fills less than one vector):
        /// a vertical pass reduces each kernel row's taps into V over the flat range of window rows where that tap is
        /// in bounds, then a horizontal pass reduces V's kernel columns, masking the taps whose column falls outside
        /// the row (found by comparing a column-index vector with the tap's bounds). The result Z holds every window
        /// whose first position is a plane cell; with stride 1 and an output as wide as the input it is the output,
        /// otherwise the output picks Z's cells at the strides. Max skips NaNs (an accumulator starting at −∞ never
        /// takes one) and sends windows left at −∞ to the scalar rule.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void Flat<TS, TV, TKind>(float* src, float* dst, float* inv) where TS : ISimdFloat<TV> where TV : struct
            where TKind : struct, IPoolKind
        {
            int h = g.In3[1], w = g.In3[2], oh = g.Out3[1], ow = g.Out3[2];
            int kh = g.Kernel3[1], kw = g.Kernel3[2], sh = g.Stride3[1], sw = g.Stride3[2];
            int padTop = g.Pad3[1], padLeft = g.Pad3[2];
            int width = TS.Width;
            bool max = TKind.IsMax;
            float fill = max ? float.NegativeInfinity : 0f;
            var fillV = TS.Splat(fill);
            int zh = (oh - 1) * sh + 1, zn = zh * w;
            bool direct = sh == 1 && sw == 1 && ow == w && zn >= width;
            int margin = kw + width;
            float* vbuf = stackalloc float[zn + 2 * margin];
            float* v = vbuf + margin;
            float* zbuf = stackalloc float[direct ? 1 : zn + width];
            float* z = direct ? dst : zbuf;
            float* cols = (float*)columns;

            // Vertical: V[r, c] = reduce over kernel rows t of X[r − padTop + t, c], for the rows where that is in bounds.
            new Span<float>(v, zn).Fill(fill);
            for (int t = 0; t < kh; t++)
            {
                int lo = Math.Max(0, padTop - t), hi = Math.Min(zh, h + padTop - t);
                if (lo >= hi) continue;
                float* xs = src + (long)(t - padTop) * w;
                int p = lo * w, end = hi * w;
                for (; p + width <= end; p += width)
                {
                    var acc = TS.Load(v + p);
                    var xv = TS.Load(xs + p);
                    TS.Store(v + p, max ? TS.MaxKeep(acc, xv) : TS.Add(acc, xv));
                }
                for (; p < end; p++)
                {
                    float xv = xs[p];
                    v[p] = max ? (xv > v[p] ? xv : v[p]) : v[p] + xv;
                }
            }

            // Horizontal: Z[r, c] = reduce over kernel columns t of V[r, c − padLeft + t] where that column is in the row.
            int span = Math.Max(zn, width);
            for (int p = 0; ; p += width)
            {
                if (p + width > span) p = span - width;
                var col = TS.Load(cols + p);
                var acc = fillV;
                for (int t = 0; t < kw; t++)
                {
                    var tap = TS.Load(v + p - padLeft + t);
                    if (t != padLeft) tap = TS.Within(col, padLeft - t, w + padLeft - t, tap, fillV);
                    acc = max ? TS.MaxKeep(acc, tap) : TS.Add(acc, tap);
                }
                if (!direct) TS.Store(z + p, acc);
                else if (max)
                {
                    TS.Store(z + p, acc);
                    if (TS.AnyEqual(acc, float.NegativeInfinity))
                        for (int i = 0; i < width; i++)
                            if (z[p + i] == float.NegativeInfinity) z[p + i] = MaxWindow(src, (p + i) / w, (p + i) % w);
                }
                else TS.Store(z + p, TS.Mul(acc, TS.Load(inv + p)));
                if (p + width >= span) break;
            }
            if (direct) return;

            for (int i = 0; i < oh; i++)
            {
                float* zr = z + (long)i * sh * w;
                float* o = dst + (long)i * ow;
                if (max)
                    for (int j = 0; j < ow; j++)
                    {
                        float m = zr[j * sw];
                        o[j] = m == float.NegativeInfinity ? MaxWindow(src, i, j) : m;
                    }
                else
                    for (int j = 0; j < ow; j++) o[j] = zr[j * sw] * inv[i * ow + j];
            }
        }

        private static bool Fill(float* line, int n, float value)
        {
            new Span<float>(line, n).Fill(value);
            return false;
        }

        /// <summary>
        /// line[c] = max (NaN in later rows skipped) or sum of rows[i][c] over the used rows, for c &lt; n. For max, returns
        /// true when a result may be NaN (a NaN met first sticks), found as a NaN in Σ 0·result (±∞ give false alarms,
        /// which only send the row to the exact scalar rule).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool Columns<TS, TV, TKind>(float** rows, int used, float* line, int n) where TS : ISimdFloat<TV> where TV : struct
            where TKind : struct, IPoolKind
        {
            bool max = TKind.IsMax;
            int width = TS.Width;
            var zero = TS.Splat(0f);
            var probe = zero;
            if (n >= width)
            {
                // Each vector is computed from the rows afresh, so the last one may overlap the one before.
                for (int c = 0; ; c += width)
                {
                    if (c + width > n) c = n - width;
                    var acc = TS.Load(rows[0] + c);
                    if (max)
                    {
                        for (int i = 1; i < used; i++) acc = TS.MaxKeep(acc, TS.Load(rows[i] + c));
                        probe = TS.MulAdd(acc, zero, probe);
                    }
                    else
                        for (int i = 1; i < used; i++) acc = TS.Add(acc, TS.Load(rows[i] + c));
                    TS.Store(line + c, acc);
                    if (c + width >= n) break;
                }
                return max && TS.AnyNaN(probe);
            }
            bool suspect = false;
            for (int c = 0; c < n; c++)
            {
                float acc = rows[0][c];
                for (int i = 1; i < used; i++)
                {
                    float v = rows[i][c];
                    acc = max ? (v > acc ? v : acc) : acc + v;
                }
                line[c] = acc;
                suspect |= max && float.IsNaN(acc);
            }
            return suspect;
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

/// <summary>Max or sum pooling, as a type argument so each kernel is compiled without the branch.</summary>
internal interface IPoolKind
{
    static abstract bool IsMax { get; }
}

internal struct MaxKind : IPoolKind
{
    public static bool IsMax => true;
}

internal struct SumKind : IPoolKind
{
    public static bool IsMax => false;
}
