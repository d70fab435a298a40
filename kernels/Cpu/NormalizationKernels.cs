using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Float32 normalization kernels: LayerNormalization and RMSNormalization over contiguous rows, the per-channel affine
/// map of BatchNormalization (inference) and LRN across channels. Statistics are two-pass (mean, then Σ(x − mean)²)
/// with vector float accumulators, centred on the row's first element, so no cancellation; large inputs split over rows/planes through
/// <see cref="KernelParallelism"/>.
/// </summary>
public static unsafe class NormalizationKernels
{
    private const int ParallelThreshold = 1 << 15;   // elements

    /// <summary>
    /// LayerNormalization of x [rows, n]: y = (x − mean) / sqrt(var + ε) · scale + bias per row, var the population
    /// variance. Row r reads scale[r·scaleRowStride ..][..n] (stride 0: one shared row) and likewise bias, which may be
    /// empty. The mean and 1/sqrt(var + ε) of each row go to <paramref name="mean"/>/<paramref name="invStd"/> when
    /// they are not empty (rows elements each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNorm(ReadOnlySpan<float> x, Span<float> y, int rows, int n, ReadOnlySpan<float> scale, int scaleRowStride,
        ReadOnlySpan<float> bias, int biasRowStride, float epsilon, Span<float> mean, Span<float> invStd)
    {
        CheckRows(x, y, rows, n, "LayerNorm");
        CheckParam(scale, scaleRowStride, rows, n, "scale", "LayerNorm");
        if (!bias.IsEmpty) CheckParam(bias, biasRowStride, rows, n, "bias", "LayerNorm");
        if (!mean.IsEmpty && mean.Length < rows || !invStd.IsEmpty && invStd.Length < rows)
            throw new ArgumentException("LayerNorm: the statistics outputs need one element per row.");
        if ((long)rows * n == 0)
        {
            // rows of zero elements: mean NaN, variance NaN, like the reference 0/0
            for (int r = 0; r < rows; r++)
            {
                if (!mean.IsEmpty) mean[r] = float.NaN;
                if (!invStd.IsEmpty) invStd[r] = float.NaN;
            }
            return;
        }
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* ps = scale)
        fixed (float* pb = bias)
        fixed (float* pm = mean)
        fixed (float* pv = invStd)
        {
            float* sx = px, sy = py, ss = ps, sb = pb, sm = pm, sv = pv;
            bool hasBias = !bias.IsEmpty;
            ForRows(rows, n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int r = from; r < to; r++)
                {
                    float* xr = sx + (long)r * n;
                    // mean = k + delta with k = x[0]: x − k is exact for x near k and delta is small, so the centring
                    // keeps full precision even when |mean| ≫ spread (a float mean alone would lose ulp(mean))
                    float k = xr[0];
                    float delta = (float)((double)SumShifted(xr, n, k) / n);
                    float var = (float)((double)SumSquaredDeviations(xr, n, k, delta) / n);
                    float inv = 1f / MathF.Sqrt(var + epsilon);
                    if (sm != null) sm[r] = (float)((double)k + delta);
                    if (sv != null) sv[r] = inv;
                    AffineRow(xr, sy + (long)r * n, n, k, delta, inv, ss + (long)r * scaleRowStride, hasBias ? sb + (long)r * biasRowStride : null);
                }
            });
        }
    }

    /// <summary>
    /// RMSNormalization of x [rows, n]: y = x / sqrt(mean(x²) + ε) · scale per row (scale row r at
    /// r·scaleRowStride; stride 0 shares one row).
    /// </summary>
    public static void RmsNorm(ReadOnlySpan<float> x, Span<float> y, int rows, int n, ReadOnlySpan<float> scale, int scaleRowStride, float epsilon)
    {
        CheckRows(x, y, rows, n, "RmsNorm");
        CheckParam(scale, scaleRowStride, rows, n, "scale", "RmsNorm");
        if ((long)rows * n == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* ps = scale)
        {
            float* sx = px, sy = py, ss = ps;
            ForRows(rows, n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int r = from; r < to; r++)
                {
                    float* xr = sx + (long)r * n;
                    float ms = (float)((double)ReduceKernels.FoldRow<SumSquaresFold>(xr, n) / n);
                    float inv = 1f / MathF.Sqrt(ms + epsilon);
                    AffineRow(xr, sy + (long)r * n, n, 0f, 0f, inv, ss + (long)r * scaleRowStride, null);
                }
            });
        }
    }

    /// <summary>
    /// The per-channel affine map of [batch, channels, spatial] data: y = (x − mean[k]) · a[k] + b[c], k = c (or
    /// b·channels + c with <paramref name="perSample"/>), a[k] = scale[c] · invStd[k].
    /// </summary>
    public static void ChannelAffine(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int spatial, bool perSample,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        long planes = (long)batch * channels;
        CheckRows(x, y, checked((int)planes), spatial, "ChannelAffine");
        int stats = perSample ? (int)planes : channels;
        if (mean.Length < stats || invStd.Length < stats || scale.Length < channels || bias.Length < channels)
            throw new ArgumentException("ChannelAffine: a parameter vector is shorter than the channel count.");
        if (planes * spatial == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pm = mean)
        fixed (float* pv = invStd)
        fixed (float* ps = scale)
        fixed (float* pb = bias)
        {
            float* sx = px, sy = py, sm = pm, sv = pv, ss = ps, sb = pb;
            ForRows((int)planes, spatial, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int p = from; p < to; p++)
                {
                    int c = p % channels, k = perSample ? p : c;
                    Affine(sx + (long)p * spatial, sy + (long)p * spatial, spatial, sm[k], ss[c] * sv[k], sb[c]);
                }
            });
        }
    }

    /// <summary>
    /// LRN across channels of [batch, channels, spatial] data: y = x / (bias + alpha/size · Σ x²)^beta, the sum over
    /// channels c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉ clipped to [0, channels).
    /// </summary>
    public static void Lrn(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int spatial, int size, float alpha, float beta, float bias)
    {
        long planes = (long)batch * channels;
        CheckRows(x, y, checked((int)planes), spatial, "Lrn");
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "Lrn: size must be positive.");
        if (planes * spatial == 0) return;
        int below = (size - 1) / 2, above = size - 1 - below;
        float scale = alpha / size;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            float* sx = px, sy = py;
            ForRows((int)planes, spatial, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int p = from; p < to; p++)
                {
                    int b = p / channels, c = p % channels;
                    int k0 = Math.Max(0, c - below), k1 = Math.Min(channels - 1, c + above);
                    float* first = sx + ((long)b * channels + k0) * spatial;
                    LrnPlane(sx + (long)p * spatial, first, k1 - k0 + 1, spatial, sy + (long)p * spatial, scale, beta, bias);
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LrnPlane(float* x, float* window, int count, int n, float* y, float scale, float beta, float bias)
    {
        // beta 0.75 (AlexNet, GoogLeNet) and 0.5 take a sqrt form; other exponents go through MathF.Pow
        bool b75 = beta == 0.75f, b50 = beta == 0.5f;
        int i = 0;
        if (b75 || b50)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var vs = Vector512.Create(scale);
                var vb = Vector512.Create(bias);
                for (; i <= n - 16; i += 16)
                {
                    var acc = Vector512<float>.Zero;
                    for (int k = 0; k < count; k++)
                    {
                        var v = Vector512.Load(window + (long)k * n + i);
                        acc = Vector512.MultiplyAddEstimate(v, v, acc);
                    }
                    var r = Vector512<float>.One / Vector512.Sqrt(Vector512.MultiplyAddEstimate(acc, vs, vb));
                    if (b75) r *= Vector512.Sqrt(r);
                    (Vector512.Load(x + i) * r).Store(y + i);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var vs = Vector256.Create(scale);
                var vb = Vector256.Create(bias);
                for (; i <= n - 8; i += 8)
                {
                    var acc = Vector256<float>.Zero;
                    for (int k = 0; k < count; k++)
                    {
                        var v = Vector256.Load(window + (long)k * n + i);
                        acc = Vector256.MultiplyAddEstimate(v, v, acc);
                    }
                    var r = Vector256<float>.One / Vector256.Sqrt(Vector256.MultiplyAddEstimate(acc, vs, vb));
                    if (b75) r *= Vector256.Sqrt(r);
                    (Vector256.Load(x + i) * r).Store(y + i);
                }
            }
            if (Vector128.IsHardwareAccelerated)
            {
                var vs = Vector128.Create(scale);
                var vb = Vector128.Create(bias);
                for (; i <= n - 4; i += 4)
                {
                    var acc = Vector128<float>.Zero;
                    for (int k = 0; k < count; k++)
                    {
                        var v = Vector128.Load(window + (long)k * n + i);
                        acc = Vector128.MultiplyAddEstimate(v, v, acc);
                    }
                    var r = Vector128<float>.One / Vector128.Sqrt(Vector128.MultiplyAddEstimate(acc, vs, vb));
                    if (b75) r *= Vector128.Sqrt(r);
                    (Vector128.Load(x + i) * r).Store(y + i);
                }
            }
        }
        for (; i < n; i++)
        {
            float acc = 0;
            for (int k = 0; k < count; k++)
            {
                float v = window[(long)k * n + i];
                acc += v * v;
            }
            y[i] = x[i] / MathF.Pow(bias + scale * acc, beta);
        }
    }

    /// <summary>Σ (x − k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumShifted(float* x, int n, float k)
    {
        float sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vk = Vector512.Create(k);
            Vector512<float> a0 = default, a1 = default;
            for (; i <= n - 32; i += 32)
            {
                a0 += Vector512.Load(x + i) - vk;
                a1 += Vector512.Load(x + i + 16) - vk;
            }
            for (; i <= n - 16; i += 16) a0 += Vector512.Load(x + i) - vk;
            sum += Vector512.Sum(a0 + a1);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var vk = Vector256.Create(k);
            Vector256<float> a0 = default;
            for (; i <= n - 8; i += 8) a0 += Vector256.Load(x + i) - vk;
            sum += Vector256.Sum(a0);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var vk = Vector128.Create(k);
            Vector128<float> a0 = default;
            for (; i <= n - 4; i += 4) a0 += Vector128.Load(x + i) - vk;
            sum += Vector128.Sum(a0);
        }
        for (; i < n; i++) sum += x[i] - k;
        return sum;
    }

    /// <summary>Σ ((x − k) − delta)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumSquaredDeviations(float* x, int n, float k, float delta)
    {
        float sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vk = Vector512.Create(k);
            var vd = Vector512.Create(delta);
            Vector512<float> a0 = default, a1 = default;
            for (; i <= n - 32; i += 32)
            {
                var d0 = Vector512.Load(x + i) - vk - vd;
                var d1 = Vector512.Load(x + i + 16) - vk - vd;
                a0 = Vector512.MultiplyAddEstimate(d0, d0, a0);
                a1 = Vector512.MultiplyAddEstimate(d1, d1, a1);
            }
            for (; i <= n - 16; i += 16)
            {
                var d = Vector512.Load(x + i) - vk - vd;
                a0 = Vector512.MultiplyAddEstimate(d, d, a0);
            }
            sum += Vector512.Sum(a0 + a1);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var vk = Vector256.Create(k);
            var vd = Vector256.Create(delta);
            Vector256<float> a0 = default;
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.Load(x + i) - vk - vd;
                a0 = Vector256.MultiplyAddEstimate(d, d, a0);
            }
            sum += Vector256.Sum(a0);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var vk = Vector128.Create(k);
            var vd = Vector128.Create(delta);
            Vector128<float> a0 = default;
            for (; i <= n - 4; i += 4)
            {
                var d = Vector128.Load(x + i) - vk - vd;
                a0 = Vector128.MultiplyAddEstimate(d, d, a0);
            }
            sum += Vector128.Sum(a0);
        }
        for (; i < n; i++)
        {
            float d = x[i] - k - delta;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>y[i] = ((x[i] − k) − delta) · inv · s[i] + b[i] (b may be null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AffineRow(float* x, float* y, int n, float k, float delta, float inv, float* s, float* b)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vk = Vector512.Create(k);
            var vd = Vector512.Create(delta);
            var vi = Vector512.Create(inv);
            for (; i <= n - 16; i += 16)
            {
                var v = (Vector512.Load(x + i) - vk - vd) * vi * Vector512.Load(s + i);
                (b == null ? v : v + Vector512.Load(b + i)).Store(y + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vk = Vector256.Create(k);
            var vd = Vector256.Create(delta);
            var vi = Vector256.Create(inv);
            for (; i <= n - 8; i += 8)
            {
                var v = (Vector256.Load(x + i) - vk - vd) * vi * Vector256.Load(s + i);
                (b == null ? v : v + Vector256.Load(b + i)).Store(y + i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vk = Vector128.Create(k);
            var vd = Vector128.Create(delta);
            var vi = Vector128.Create(inv);
            for (; i <= n - 4; i += 4)
            {
                var v = (Vector128.Load(x + i) - vk - vd) * vi * Vector128.Load(s + i);
                (b == null ? v : v + Vector128.Load(b + i)).Store(y + i);
            }
        }
        for (; i < n; i++)
        {
            float v = (x[i] - k - delta) * inv * s[i];
            y[i] = b == null ? v : v + b[i];
        }
    }

    /// <summary>y[i] = (x[i] − m) · a + z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Affine(float* x, float* y, int n, float m, float a, float z)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(m);
            var va = Vector512.Create(a);
            var vz = Vector512.Create(z);
            for (; i <= n - 16; i += 16) Vector512.MultiplyAddEstimate(Vector512.Load(x + i) - vm, va, vz).Store(y + i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(m);
            var va = Vector256.Create(a);
            var vz = Vector256.Create(z);
            for (; i <= n - 8; i += 8) Vector256.MultiplyAddEstimate(Vector256.Load(x + i) - vm, va, vz).Store(y + i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vm = Vector128.Create(m);
            var va = Vector128.Create(a);
            var vz = Vector128.Create(z);
            for (; i <= n - 4; i += 4) Vector128.MultiplyAddEstimate(Vector128.Load(x + i) - vm, va, vz).Store(y + i);
        }
        for (; i < n; i++) y[i] = (x[i] - m) * a + z;
    }

    /// <summary>Runs body over [0, rows) in chunks: inline when small, through KernelParallelism when large.</summary>
    private static void ForRows(int rows, int n, Action<int, int> body)
    {
        int degree = KernelParallelism.MaxDegree;
        if (degree <= 1 || rows < 2 || (long)rows * n < ParallelThreshold)
        {
            body(0, rows);
            return;
        }
        int chunks = Math.Min(rows, degree * 4);
        KernelParallelism.For(0, chunks, c => body((int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks)));
    }

    private static void CheckRows(ReadOnlySpan<float> x, Span<float> y, int rows, int n, string what)
    {
        long total = (long)rows * n;
        if (rows < 0 || n < 0 || x.Length < total || y.Length < total)
            throw new ArgumentException($"{what}: buffers of {x.Length} and {y.Length} elements do not hold [{rows}, {n}].");
    }

    private static void CheckParam(ReadOnlySpan<float> p, int rowStride, int rows, int n, string name, string what)
    {
        if (rowStride < 0 || rows > 0 && p.Length < (long)(rows - 1) * rowStride + n)
            throw new ArgumentException($"{what}: {name} of {p.Length} elements does not cover {rows} rows of {n} with stride {rowStride}.");
    }
}
