using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// The unary float32 loop: y[i] = f(x[i]) at the widest hardware-accelerated width, the ragged tail covered by one
/// overlapping vector (computed from the input before the body is stored, so x and y may be the same span).
/// Fewer elements than the narrowest vector run one lane at a time through the Vector128 form, which is also the
/// portable floor where no SIMD is accelerated (the runtime emulates it element by element).
/// </summary>
public static class UnaryKernel
{
    /// <summary>
    /// y[i] = op(x[i]) for i &lt; x.Length. <paramref name="y"/> must be at least as long as x and be either x itself or
    /// not overlap it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op) where TOp : struct, IUnaryOperator
    {
        Aliasing.Check(x, y);
        int n = x.Length;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            const int w = 16;
            var last = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - w)));
            nuint i = 0, end = (nuint)(n - w);
            // Unrolled ×2: two independent dependency chains per iteration for the long transcendental kernels.
            for (; i + w < end; i += 2 * w)
            {
                var a = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
                var b = op.Invoke(Vector512.LoadUnsafe(ref xr, i + w));
                a.StoreUnsafe(ref yr, i);
                b.StoreUnsafe(ref yr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            last.StoreUnsafe(ref yr, end);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            const int w = 8;
            var last = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - w)));
            nuint i = 0, end = (nuint)(n - w);
            for (; i + w < end; i += 2 * w)
            {
                var a = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
                var b = op.Invoke(Vector256.LoadUnsafe(ref xr, i + w));
                a.StoreUnsafe(ref yr, i);
                b.StoreUnsafe(ref yr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            last.StoreUnsafe(ref yr, end);
            return;
        }
        if (n >= Vector128<float>.Count)
        {
            const int w = 4;
            var last = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - w)));
            nuint i = 0, end = (nuint)(n - w);
            for (; i + w < end; i += 2 * w)
            {
                var a = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
                var b = op.Invoke(Vector128.LoadUnsafe(ref xr, i + w));
                a.StoreUnsafe(ref yr, i);
                b.StoreUnsafe(ref yr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            last.StoreUnsafe(ref yr, end);
            return;
        }
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref yr, i) = op.Invoke(Vector128.CreateScalar(Unsafe.Add(ref xr, i))).ToScalar();
    }
}
