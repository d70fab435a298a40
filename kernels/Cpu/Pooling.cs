using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>What a pooling window computes: it sees each in-bounds element of the window once, then yields one value.</summary>
public interface IPoolReducer<T> where T : unmanaged
{
    void Reset();

    /// <summary>One in-bounds element and its row-major position within the input plane.</summary>
    void Add(T value, int position);

    /// <summary>
    /// The window's value. <paramref name="validCount"/> counts in-bounds elements, <paramref name="paddedCount"/> the
    /// window positions inside the padded input (explicit pads included, ceil-mode overhang excluded).
    /// </summary>
    T Result(int validCount, int paddedCount);

    /// <summary>Row-major position of the selected element (max pooling), or -1.</summary>
    int Selected { get; }
}

/// <summary>Max over the window; NaNs are skipped; the first maximum wins ties.</summary>
public struct MaxReducer<T> : IPoolReducer<T> where T : unmanaged, INumber<T>
{
    private T _best;
    private int _pos;

    public void Reset() { _best = default; _pos = -1; }

    public void Add(T value, int position)
    {
        if (T.IsNaN(value)) return;
        if (_pos < 0 || value > _best) { _best = value; _pos = position; }
    }

    public readonly T Result(int validCount, int paddedCount) => _pos < 0 ? default : _best;

    public readonly int Selected => _pos;
}

/// <summary>Mean over the window, dividing by the in-bounds count or, with <see cref="CountPadding"/>, the padded count.</summary>
public struct AverageReducer<T>(bool countPadding) : IPoolReducer<T> where T : unmanaged, INumber<T>
{
    private double _sum;

    public readonly bool CountPadding => countPadding;

    public void Reset() => _sum = 0;

    public void Add(T value, int position) => _sum += double.CreateTruncating(value);

    public readonly T Result(int validCount, int paddedCount)
    {
        int n = countPadding ? paddedCount : validCount;
        return T.CreateSaturating(n == 0 ? double.NaN : _sum / n);
    }

    public readonly int Selected => -1;
}

/// <summary>The p-norm of the window: (Σ|x|^p)^(1/p); padding contributes nothing.</summary>
public struct LpReducer<T>(double p) : IPoolReducer<T> where T : unmanaged, INumber<T>
{
    private double _sum;

    public void Reset() => _sum = 0;

    public void Add(T value, int position)
    {
        double v = Math.Abs(double.CreateTruncating(value));
        _sum += p == 2 ? v * v : p == 1 ? v : Math.Pow(v, p);
    }

    public readonly T Result(int validCount, int paddedCount) =>
        T.CreateSaturating(p == 2 ? Math.Sqrt(_sum) : p == 1 ? _sum : Math.Pow(_sum, 1 / p));

    public readonly int Selected => -1;
}

/// <summary>
/// Sliding-window pooling over 1-3 spatial dims: for every plane (batch × channel) and output position, feeds the
/// in-bounds window elements to a reducer. Optionally records the selected element's flattened index
/// (plane·InputSize + position, row-major or column-major within the plane) as ONNX MaxPool's Indices output does.
/// </summary>
public static class Pooling
{
    private const long ParallelThreshold = 1L << 15;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TReducer>(ReadOnlySpan<T> x, int planes, SpatialGeometry g, ReadOnlySpan<int> padEnd,
        Span<T> y, Span<long> indices, bool columnMajorIndices, TReducer reducer)
        where T : unmanaged where TReducer : struct, IPoolReducer<T>
    {
        if ((long)planes * g.InputSize > x.Length || (long)planes * g.OutputSize > y.Length)
            throw new ArgumentException("Pooling buffers are smaller than the geometry needs.");
        if (!indices.IsEmpty && (long)planes * g.OutputSize > indices.Length)
            throw new ArgumentException("Indices buffer is smaller than the output.");
        if (padEnd.Length != g.Rank) throw new ArgumentException("padEnd needs one entry per spatial dimension.");
        var end3 = new int[3];
        for (int i = 0; i < g.Rank; i++) end3[3 - g.Rank + i] = padEnd[i];
        bool withIndices = !indices.IsEmpty;
        var ranges = new AxisRanges[3];
        for (int a = 0; a < 3; a++) ranges[a] = new AxisRanges(g, a, end3[a]);
        unsafe
        {
            fixed (T* px = x)
            fixed (T* py = y)
            fixed (long* pi = indices)
            {
                nint ax = (nint)px, ay = (nint)py, ai = (nint)pi;
                void Plane(int p) => PoolPlane((T*)ax + (long)p * g.InputSize, (T*)ay + (long)p * g.OutputSize,
                    withIndices ? (long*)ai + (long)p * g.OutputSize : null, (long)p * g.InputSize, g, ranges, columnMajorIndices, reducer);
                if ((long)planes * g.OutputSize * g.KernelSize >= ParallelThreshold && planes > 1) KernelParallelism.For(0, planes, Plane);
                else for (int p = 0; p < planes; p++) Plane(p);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolPlane<T, TReducer>(T* x, T* y, long* indices, long planeOffset, SpatialGeometry g,
        AxisRanges[] ranges, bool columnMajor, TReducer r)
        where T : unmanaged where TReducer : struct, IPoolReducer<T>
    {
        int[] inp = g.In3, outp = g.Out3;
        int dd = g.Dilation3[0], dh = g.Dilation3[1], dw = g.Dilation3[2];
        AxisRanges rd = ranges[0], rh = ranges[1], rw = ranges[2];
        int o = 0;
        for (int od = 0; od < outp[0]; od++)
        {
            int d0 = rd.Start[od], dLo = rd.Lo[od], dHi = rd.Hi[od];
            for (int oh = 0; oh < outp[1]; oh++)
            {
                int h0 = rh.Start[oh], hLo = rh.Lo[oh], hHi = rh.Hi[oh];
                for (int ow = 0; ow < outp[2]; ow++, o++)
                {
                    int w0 = rw.Start[ow], wLo = rw.Lo[ow], wHi = rw.Hi[ow];
                    r.Reset();
                    for (int kd = dLo; kd < dHi; kd++)
                    {
                        int id = d0 + kd * dd;
                        for (int kh = hLo; kh < hHi; kh++)
                        {
                            int rowStart = (id * inp[1] + h0 + kh * dh) * inp[2] + w0;
                            for (int kw = wLo; kw < wHi; kw++)
                            {
                                int pos = rowStart + kw * dw;
                                r.Add(x[pos], pos);
                            }
                        }
                    }
                    int valid = (dHi - dLo) * (hHi - hLo) * (wHi - wLo);
                    y[o] = r.Result(valid, rd.Padded[od] * rh.Padded[oh] * rw.Padded[ow]);
                    if (indices != null)
                    {
                        int s = r.Selected;
                        indices[o] = s < 0 ? -1 : planeOffset + (columnMajor ? ColumnMajor(s, g) : s);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Per output coordinate along one (3-D) axis: the window start, the kernel offsets [Lo, Hi) that land inside the
    /// input, and how many offsets land inside the padded input. Shared by every plane.
    /// </summary>
    internal sealed class AxisRanges
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public AxisRanges(SpatialGeometry g, int axis, int padEnd)
        {
            int count = g.Out3[axis], s = g.Stride3[axis], pad = g.Pad3[axis];
            int d = g.Dilation3[axis], k = g.Kernel3[axis], n = g.In3[axis];
            Start = new int[count];
            Lo = new int[count];
            Hi = new int[count];
            Padded = new int[count];
            for (int o = 0; o < count; o++)
            {
                int start = o * s - pad;
                int lo = start >= 0 ? 0 : (-start + d - 1) / d;
                int lastIn = n - 1 - start;                   // largest offset·d staying inside the input
                int hi = lastIn < 0 ? 0 : Math.Min(k, lastIn / d + 1);
                int lastPadded = n + padEnd - 1 - start;
                int padHi = lastPadded < 0 ? 0 : Math.Min(k, lastPadded / d + 1);
                int firstPadded = start >= -pad ? 0 : (-pad - start + d - 1) / d;
                Start[o] = start;
                Lo[o] = lo;
                Hi[o] = Math.Max(hi, lo);
                Padded[o] = Math.Max(0, padHi - firstPadded);
            }
        }

        public int[] Start { get; }
        public int[] Lo { get; }
        public int[] Hi { get; }
        public int[] Padded { get; }
    }

    private static int ColumnMajor(int pos, SpatialGeometry g)
    {
        int[] n = g.In3;
        int w = pos % n[2], t = pos / n[2], h = t % n[1], d = t / n[1];
        return g.Rank switch
        {
            1 => w,
            2 => h + w * n[1],
            _ => d + h * n[0] + w * n[0] * n[1],
        };
    }
}
