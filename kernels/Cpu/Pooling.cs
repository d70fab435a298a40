using System.Numerics;

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
        unsafe
        {
            fixed (T* px = x)
            fixed (T* py = y)
            fixed (long* pi = indices)
            {
                nint ax = (nint)px, ay = (nint)py, ai = (nint)pi;
                void Plane(int p) => PoolPlane((T*)ax + (long)p * g.InputSize, (T*)ay + (long)p * g.OutputSize,
                    withIndices ? (long*)ai + (long)p * g.OutputSize : null, (long)p * g.InputSize, g, end3, columnMajorIndices, reducer);
                if ((long)planes * g.OutputSize * g.KernelSize >= ParallelThreshold && planes > 1) Parallel.For(0, planes, Plane);
                else for (int p = 0; p < planes; p++) Plane(p);
            }
        }
    }

    private static unsafe void PoolPlane<T, TReducer>(T* x, T* y, long* indices, long planeOffset, SpatialGeometry g,
        int[] padEnd, bool columnMajor, TReducer r)
        where T : unmanaged where TReducer : struct, IPoolReducer<T>
    {
        int[] inp = g.In3, outp = g.Out3, dil = g.Dilation3;
        Span<int> lo = stackalloc int[3], hi = stackalloc int[3], padded = stackalloc int[3];
        int o = 0;
        for (int od = 0; od < outp[0]; od++)
        {
            Range(g, 0, od, padEnd[0], out lo[0], out hi[0], out padded[0]);
            for (int oh = 0; oh < outp[1]; oh++)
            {
                Range(g, 1, oh, padEnd[1], out lo[1], out hi[1], out padded[1]);
                for (int ow = 0; ow < outp[2]; ow++, o++)
                {
                    Range(g, 2, ow, padEnd[2], out lo[2], out hi[2], out padded[2]);
                    r.Reset();
                    int d0 = od * g.Stride3[0] - g.Pad3[0], h0 = oh * g.Stride3[1] - g.Pad3[1], w0 = ow * g.Stride3[2] - g.Pad3[2];
                    for (int kd = lo[0]; kd < hi[0]; kd++)
                    {
                        int id = d0 + kd * dil[0];
                        for (int kh = lo[1]; kh < hi[1]; kh++)
                        {
                            int rowStart = (id * inp[1] + h0 + kh * dil[1]) * inp[2] + w0;
                            for (int kw = lo[2]; kw < hi[2]; kw++)
                            {
                                int pos = rowStart + kw * dil[2];
                                r.Add(x[pos], pos);
                            }
                        }
                    }
                    int valid = Math.Max(0, hi[0] - lo[0]) * Math.Max(0, hi[1] - lo[1]) * Math.Max(0, hi[2] - lo[2]);
                    y[o] = r.Result(valid, padded[0] * padded[1] * padded[2]);
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
    /// Kernel offsets [lo, hi) of output coordinate <paramref name="o"/> along 3-D axis <paramref name="axis"/> that land
    /// inside the input, and how many land inside the padded input.
    /// </summary>
    private static void Range(SpatialGeometry g, int axis, int o, int padEnd, out int lo, out int hi, out int padded)
    {
        int start = o * g.Stride3[axis] - g.Pad3[axis];
        int d = g.Dilation3[axis], k = g.Kernel3[axis], n = g.In3[axis];
        lo = start >= 0 ? 0 : (-start + d - 1) / d;
        int lastIn = n - 1 - start;                      // largest offset·d staying inside the input
        hi = lastIn < 0 ? 0 : Math.Min(k, lastIn / d + 1);
        if (hi < lo) hi = lo;
        int lastPadded = n + padEnd - 1 - start;
        int padHi = lastPadded < 0 ? 0 : Math.Min(k, lastPadded / d + 1);
        int firstPadded = start >= -g.Pad3[axis] ? 0 : (-g.Pad3[axis] - start + d - 1) / d;
        padded = Math.Max(0, padHi - firstPadded);
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
