using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// Binary elementwise loops on float or double: both operands contiguous, or one of them a broadcast scalar. Each picks
/// the widest accelerated width; the ragged tail is one overlapping vector computed before the body is stored, so the
/// destination may be either input itself (not a partial overlap). Fewer elements than a vector run lane by lane through
/// the operator's scalar form.
/// </summary>
public static class BinaryKernel
{
    /// <summary>r[i] = op(a[i], b[i]) for i &lt; a.Length; b and r at least as long as a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> r, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        if (b.Length < a.Length) throw new ArgumentException($"Second operand has {b.Length} elements, the first {a.Length}.", nameof(b));
        Aliasing.Check(a, r);
        Aliasing.Check(b[..a.Length], r);
        int n = a.Length;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T rr = ref MemoryMarshal.GetReference(r);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector512.LoadUnsafe(ref ar, end), Vector512.LoadUnsafe(ref br, end));
            for (; i + w < end; i += 2 * w)
            {
                var x0 = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i));
                var x1 = op.Invoke(Vector512.LoadUnsafe(ref ar, i + w), Vector512.LoadUnsafe(ref br, i + w));
                x0.StoreUnsafe(ref rr, i);
                x1.StoreUnsafe(ref rr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector256.LoadUnsafe(ref ar, end), Vector256.LoadUnsafe(ref br, end));
            for (; i + w < end; i += 2 * w)
            {
                var x0 = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i));
                var x1 = op.Invoke(Vector256.LoadUnsafe(ref ar, i + w), Vector256.LoadUnsafe(ref br, i + w));
                x0.StoreUnsafe(ref rr, i);
                x1.StoreUnsafe(ref rr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector128.LoadUnsafe(ref ar, end), Vector128.LoadUnsafe(ref br, end));
            for (; i < end; i += w) op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        for (int i = 0; i < n; i++) Unsafe.Add(ref rr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    /// <summary>r[i] = op(a[i], b) for i &lt; a.Length (b broadcast).</summary>
    public static void MapScalarRight<T, TOp>(ReadOnlySpan<T> a, T b, Span<T> r, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T> => MapScalarCore(a, b, r, op);

    /// <summary>r[i] = op(a, b[i]) for i &lt; b.Length (a broadcast).</summary>
    public static void MapScalarLeft<T, TOp>(T a, ReadOnlySpan<T> b, Span<T> r, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T> => MapScalarCore(b, a, r, new Swapped<T, TOp>(op));

    /// <summary>r[i] = op(v[i], s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapScalarCore<T, TOp>(ReadOnlySpan<T> v, T s, Span<T> r, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        Aliasing.Check(v, r);
        int n = v.Length;
        ref T vr = ref MemoryMarshal.GetReference(v);
        ref T rr = ref MemoryMarshal.GetReference(r);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var sv = Vector512.Create(s);
            nuint w = (nuint)Vector512<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector512.LoadUnsafe(ref vr, end), sv);
            for (; i + w < end; i += 2 * w)
            {
                var x0 = op.Invoke(Vector512.LoadUnsafe(ref vr, i), sv);
                var x1 = op.Invoke(Vector512.LoadUnsafe(ref vr, i + w), sv);
                x0.StoreUnsafe(ref rr, i);
                x1.StoreUnsafe(ref rr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector512.LoadUnsafe(ref vr, i), sv).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var sv = Vector256.Create(s);
            nuint w = (nuint)Vector256<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector256.LoadUnsafe(ref vr, end), sv);
            for (; i + w < end; i += 2 * w)
            {
                var x0 = op.Invoke(Vector256.LoadUnsafe(ref vr, i), sv);
                var x1 = op.Invoke(Vector256.LoadUnsafe(ref vr, i + w), sv);
                x0.StoreUnsafe(ref rr, i);
                x1.StoreUnsafe(ref rr, i + w);
            }
            for (; i < end; i += w) op.Invoke(Vector256.LoadUnsafe(ref vr, i), sv).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            var sv = Vector128.Create(s);
            nuint w = (nuint)Vector128<T>.Count, end = (nuint)n - w, i = 0;
            var last = op.Invoke(Vector128.LoadUnsafe(ref vr, end), sv);
            for (; i < end; i += w) op.Invoke(Vector128.LoadUnsafe(ref vr, i), sv).StoreUnsafe(ref rr, i);
            last.StoreUnsafe(ref rr, end);
            return;
        }
        for (int i = 0; i < n; i++) Unsafe.Add(ref rr, i) = op.Invoke(Unsafe.Add(ref vr, i), s);
    }

    /// <summary>op with its operands exchanged: Invoke(x, y) = op(y, x).</summary>
    private readonly struct Swapped<T, TOp>(TOp op) : IBinaryOperator<T> where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        public T Invoke(T a, T b) => op.Invoke(b, a);
        public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => op.Invoke(b, a);
        public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => op.Invoke(b, a);
        public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => op.Invoke(b, a);
    }
}
