using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Vectorized float32 global pooling: one value per contiguous plane. The max propagates NaN (any NaN in the plane
/// gives NaN) and an empty plane gives 0; the average of an empty plane is NaN.
/// </summary>
public static unsafe class GlobalPooling
{
    private const long ParallelThreshold = 1L << 16;

    public static void Max(ReadOnlySpan<float> x, int planes, int size, Span<float> y) => Run(x, planes, size, y, max: true);

    public static void Average(ReadOnlySpan<float> x, int planes, int size, Span<float> y) => Run(x, planes, size, y, max: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(ReadOnlySpan<float> x, int planes, int size, Span<float> y, bool max)
    {
        if (planes < 0 || size < 0 || (long)planes * size > x.Length || planes > y.Length)
            throw new ArgumentException("Global pooling buffers are smaller than planes × size.");
        fixed (float* px = x)
        fixed (float* py = y)
        {
            nint ax = (nint)px, ay = (nint)py;
            void Plane(int p)
            {
                float* s = (float*)ax + (long)p * size;
                ((float*)ay)[p] = max ? MaxOf(s, size) : SumOf(s, size) / size;
            }
            if ((long)planes * size >= ParallelThreshold && planes > 1) KernelParallelism.For(0, planes, Plane);
            else for (int p = 0; p < planes; p++) Plane(p);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float MaxOf(float* s, int n)
    {
        if (n == 0) return 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16) return MaxOf<Simd512, Vector512<float>>(s, n);
        if (Vector256.IsHardwareAccelerated && n >= 8) return MaxOf<Simd256, Vector256<float>>(s, n);
        if (Vector128.IsHardwareAccelerated && n >= 4) return MaxOf<Simd128, Vector128<float>>(s, n);
        float best = s[0];
        for (int i = 0; i < n; i++)
        {
            if (float.IsNaN(s[i])) return float.NaN;
            if (s[i] > best) best = s[i];
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float MaxOf<TS, TV>(float* s, int n) where TS : ISimdFloat<TV> where TV : struct
    {
        int w = TS.Width;
        var acc = TS.Load(s);
        if (TS.AnyNaN(acc)) return float.NaN;
        // The ragged end is one overlapping vector: max is idempotent.
        for (int i = w; ; i += w)
        {
            if (i + w > n) i = n - w;
            var v = TS.Load(s + i);
            if (TS.AnyNaN(v)) return float.NaN;
            acc = TS.MaxKeep(acc, v);
            if (i + w >= n) break;
        }
        float* lanes = stackalloc float[w];
        TS.Store(lanes, acc);
        float best = lanes[0];
        for (int i = 1; i < w; i++) if (lanes[i] > best) best = lanes[i];
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOf(float* s, int n)
    {
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated) sum = SumOf<Simd512, Vector512<float>>(s, n, ref i);
        else if (Vector256.IsHardwareAccelerated) sum = SumOf<Simd256, Vector256<float>>(s, n, ref i);
        else if (Vector128.IsHardwareAccelerated) sum = SumOf<Simd128, Vector128<float>>(s, n, ref i);
        for (; i < n; i++) sum += s[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOf<TS, TV>(float* s, int n, ref int i) where TS : ISimdFloat<TV> where TV : struct
    {
        int w = TS.Width;
        TV a0 = default, a1 = default, a2 = default, a3 = default;
        // Four accumulators: hides add latency and keeps each partial sum short.
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = TS.Add(a0, TS.Load(s + i));
            a1 = TS.Add(a1, TS.Load(s + i + w));
            a2 = TS.Add(a2, TS.Load(s + i + 2 * w));
            a3 = TS.Add(a3, TS.Load(s + i + 3 * w));
        }
        for (; i + w <= n; i += w) a0 = TS.Add(a0, TS.Load(s + i));
        return TS.Sum(TS.Add(TS.Add(a0, a1), TS.Add(a2, a3)));
    }
}
