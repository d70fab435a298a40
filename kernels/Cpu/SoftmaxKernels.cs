using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Softmax and log-softmax of float32 data viewed as [outer, n, inner], along the middle axis:
/// softmax = e^(x − max) / Σ e^(x − max), log-softmax = x − max − log Σ e^(x − max). inner = 1 is the common
/// last-axis case (contiguous rows); inner &gt; 1 vectorizes across the inner positions. Large inputs split over outer
/// slices through <see cref="KernelParallelism"/>. Same NaN/±inf behaviour as the formula (a NaN or +inf in a row
/// gives NaN).
/// </summary>
public static unsafe class SoftmaxKernels
{
    private const int ParallelThreshold = 1 << 15;   // elements; below this a task costs more than it saves

    /// <summary>Softmax (or log-softmax with <paramref name="log"/>) of x [outer, n, inner] along n into y.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, bool log)
    {
        long total = (long)outer * n * inner;
        if (outer < 0 || n < 0 || inner < 0 || x.Length < total || y.Length < total)
            throw new ArgumentException($"Softmax: buffers of {x.Length} and {y.Length} elements do not hold [{outer}, {n}, {inner}].");
        if (total == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            float* sx = px, sy = py;
            int degree = KernelParallelism.MaxDegree;
            if (degree <= 1 || total < ParallelThreshold || outer < 2)
            {
                Slices(sx, sy, 0, outer, n, inner, log);
                return;
            }
            int chunks = Math.Min(outer, degree * 4);
            KernelParallelism.For(0, chunks, c =>
            {
                int from = (int)((long)outer * c / chunks), to = (int)((long)outer * (c + 1) / chunks);
                Slices(sx, sy, from, to, n, inner, log);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Slices(float* x, float* y, int from, int to, int n, int inner, bool log)
    {
        long slice = (long)n * inner;
        if (inner == 1)
        {
            for (int o = from; o < to; o++) Row(x + o * slice, y + o * slice, n, log);
            return;
        }
        float[] rented = ArrayPool<float>.Shared.Rent(2 * inner);
        try
        {
            fixed (float* scratch = rented)
                for (int o = from; o < to; o++) Columns(x + o * slice, y + o * slice, n, inner, log, scratch, scratch + inner);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>One contiguous row.</summary>
    private static void Row(float* x, float* y, int n, bool log)
    {
        float max = ReduceKernels.FoldRow<MaxFold>(x, n);
        if (log)
        {
            float shift = max + MathF.Log(ReduceKernels.SumExpShifted(x, n, max));
            AddScalar(x, y, n, -shift);
        }
        else
        {
            float sum = ExpShiftedStore(x, y, n, max);
            Scale(y, n, 1f / sum);
        }
    }

    /// <summary>One [n, inner] slice, vectorized over inner: max, Σ e^(x − max), then the normalization.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(float* x, float* y, int n, int inner, bool log, float* max, float* sum)
    {
        new Span<float>(max, inner).Fill(float.NegativeInfinity);
        for (int k = 0; k < n; k++) ReduceKernels.FoldInto<MaxFold>(max, x + (long)k * inner, inner);
        new Span<float>(sum, inner).Clear();
        if (log)
        {
            for (int k = 0; k < n; k++) ReduceKernels.AddExpShiftedInto(sum, x + (long)k * inner, max, inner);
            for (int j = 0; j < inner; j++) sum[j] = -(max[j] + MathF.Log(sum[j]));
            for (int k = 0; k < n; k++) AddRun(x + (long)k * inner, sum, y + (long)k * inner, inner);
        }
        else
        {
            for (int k = 0; k < n; k++) ExpShiftedRun(x + (long)k * inner, max, y + (long)k * inner, sum, inner);
            for (int j = 0; j < inner; j++) sum[j] = 1f / sum[j];
            for (int k = 0; k < n; k++) MulRun(y + (long)k * inner, sum, inner);
        }
    }

    /// <summary>y[i] = e^(x[i] − shift); returns Σ y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float ExpShiftedStore(float* x, float* y, int n, float shift)
    {
        float sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s = Vector512.Create(shift);
            Vector512<float> a0 = default, a1 = default;
            for (; i <= n - 32; i += 32)
            {
                var e0 = VectorMath.Exp(Vector512.Load(x + i) - s);
                var e1 = VectorMath.Exp(Vector512.Load(x + i + 16) - s);
                e0.Store(y + i);
                e1.Store(y + i + 16);
                a0 += e0;
                a1 += e1;
            }
            for (; i <= n - 16; i += 16)
            {
                var e = VectorMath.Exp(Vector512.Load(x + i) - s);
                e.Store(y + i);
                a0 += e;
            }
            sum += Vector512.Sum(a0 + a1);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var s = Vector256.Create(shift);
            Vector256<float> a0 = default;
            for (; i <= n - 8; i += 8)
            {
                var e = VectorMath.Exp(Vector256.Load(x + i) - s);
                e.Store(y + i);
                a0 += e;
            }
            sum += Vector256.Sum(a0);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var s = Vector128.Create(shift);
            Vector128<float> a0 = default;
            for (; i <= n - 4; i += 4)
            {
                var e = VectorMath.Exp(Vector128.Load(x + i) - s);
                e.Store(y + i);
                a0 += e;
            }
            sum += Vector128.Sum(a0);
        }
        for (; i < n; i++)
        {
            float e = MathF.Exp(x[i] - shift);
            y[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>y[i] = e^(x[i] − shift[i]); sum[i] += y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpShiftedRun(float* x, float* shift, float* y, float* sum, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
            {
                var e = VectorMath.Exp(Vector512.Load(x + i) - Vector512.Load(shift + i));
                e.Store(y + i);
                (Vector512.Load(sum + i) + e).Store(sum + i);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
            {
                var e = VectorMath.Exp(Vector256.Load(x + i) - Vector256.Load(shift + i));
                e.Store(y + i);
                (Vector256.Load(sum + i) + e).Store(sum + i);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4)
            {
                var e = VectorMath.Exp(Vector128.Load(x + i) - Vector128.Load(shift + i));
                e.Store(y + i);
                (Vector128.Load(sum + i) + e).Store(sum + i);
            }
        for (; i < n; i++)
        {
            float e = MathF.Exp(x[i] - shift[i]);
            y[i] = e;
            sum[i] += e;
        }
    }

    /// <summary>y[i] *= s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale(float* y, int n, float s)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var v = Vector512.Create(s); i <= n - 16; i += 16) (Vector512.Load(y + i) * v).Store(y + i);
        if (Vector256.IsHardwareAccelerated)
            for (var v = Vector256.Create(s); i <= n - 8; i += 8) (Vector256.Load(y + i) * v).Store(y + i);
        if (Vector128.IsHardwareAccelerated)
            for (var v = Vector128.Create(s); i <= n - 4; i += 4) (Vector128.Load(y + i) * v).Store(y + i);
        for (; i < n; i++) y[i] *= s;
    }

    /// <summary>y[i] = x[i] + s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScalar(float* x, float* y, int n, float s)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var v = Vector512.Create(s); i <= n - 16; i += 16) (Vector512.Load(x + i) + v).Store(y + i);
        if (Vector256.IsHardwareAccelerated)
            for (var v = Vector256.Create(s); i <= n - 8; i += 8) (Vector256.Load(x + i) + v).Store(y + i);
        if (Vector128.IsHardwareAccelerated)
            for (var v = Vector128.Create(s); i <= n - 4; i += 4) (Vector128.Load(x + i) + v).Store(y + i);
        for (; i < n; i++) y[i] = x[i] + s;
    }

    /// <summary>y[i] = x[i] + s[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRun(float* x, float* s, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) (Vector512.Load(x + i) + Vector512.Load(s + i)).Store(y + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) (Vector256.Load(x + i) + Vector256.Load(s + i)).Store(y + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) (Vector128.Load(x + i) + Vector128.Load(s + i)).Store(y + i);
        for (; i < n; i++) y[i] = x[i] + s[i];
    }

    /// <summary>y[i] *= s[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MulRun(float* y, float* s, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) (Vector512.Load(y + i) * Vector512.Load(s + i)).Store(y + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) (Vector256.Load(y + i) * Vector256.Load(s + i)).Store(y + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) (Vector128.Load(y + i) * Vector128.Load(s + i)).Store(y + i);
        for (; i < n; i++) y[i] *= s[i];
    }
}
