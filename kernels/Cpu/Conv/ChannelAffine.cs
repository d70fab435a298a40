using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// y = x·scale[c] + shift[c] over X [N, C, spatial] (float32), one fused multiply-add per element: inference-mode
/// BatchNormalization once its statistics are folded into per-channel scale and shift.
/// </summary>
public static unsafe class ChannelAffine
{
    private const long ParallelThreshold = 1L << 16;

    /// <summary>Folds BatchNormalization's inputs: scale' = scale / sqrt(var + ε), shift = B − mean·scale'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldBatchNorm(ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> variance, float epsilon, Span<float> foldedScale, Span<float> foldedShift)
    {
        int c = scale.Length;
        if (bias.Length != c || mean.Length != c || variance.Length != c || foldedScale.Length != c || foldedShift.Length != c)
            throw new ArgumentException("BatchNormalization parameters must all have one value per channel.");
        for (int i = 0; i < c; i++)
        {
            float a = scale[i] * (1f / MathF.Sqrt(variance[i] + epsilon));
            foldedScale[i] = a;
            foldedShift[i] = bias[i] - mean[i] * a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> x, int n, int channels, int spatial, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y)
    {
        long total = (long)n * channels * spatial;
        if (n < 0 || channels < 0 || spatial < 0 || total > x.Length || total > y.Length || scale.Length < channels || shift.Length < channels)
            throw new ArgumentException("ChannelAffine buffers are smaller than N × C × spatial.");
        if (total == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* ps = scale)
        fixed (float* pt = shift)
        {
            nint ax = (nint)px, ay = (nint)py, asc = (nint)ps, ash = (nint)pt;
            void Plane(int p)
            {
                int c = p % channels;
                long off = (long)p * spatial;
                Row((float*)ax + off, (float*)ay + off, spatial, ((float*)asc)[c], ((float*)ash)[c]);
            }
            int planes = n * channels;
            if (total >= ParallelThreshold && planes > 1) KernelParallelism.For(0, planes, Plane);
            else for (int p = 0; p < planes; p++) Plane(p);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(float* x, float* y, int n, float a, float b)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = Row<Simd512, Vector512<float>>(x, y, n, a, b);
        else if (Vector256.IsHardwareAccelerated) i = Row<Simd256, Vector256<float>>(x, y, n, a, b);
        else if (Vector128.IsHardwareAccelerated) i = Row<Simd128, Vector128<float>>(x, y, n, a, b);
        for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(x[i], a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Row<TS, TV>(float* x, float* y, int n, float a, float b) where TS : ISimdFloat<TV> where TV : struct
    {
        int w = TS.Width, i = 0;
        TV va = TS.Splat(a), vb = TS.Splat(b);
        for (; i + 2 * w <= n; i += 2 * w)
        {
            TS.Store(y + i, TS.MulAdd(TS.Load(x + i), va, vb));
            TS.Store(y + i + w, TS.MulAdd(TS.Load(x + i + w), va, vb));
        }
        for (; i + w <= n; i += w) TS.Store(y + i, TS.MulAdd(TS.Load(x + i), va, vb));
        return i;
    }
}
