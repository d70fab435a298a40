using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Data;

namespace NativeInfer.Kernels.Gpu.Typed;

/// <summary>
/// Elementwise kernels over any element type <see cref="GpuScalar"/> handles, one compiled body per kernel with the
/// types and the function as arguments: conversion and unary functions, broadcasting binary functions (comparisons to
/// bool, logic, integer and float arithmetic, bit operations), Where, broadcast/tile copies, and ArgMax/ArgMin. Operands
/// are raw byte views of dense tensors; broadcast operands come with a <see cref="GpuIndexMap"/> over the output's
/// shape (stride 0 along broadcast dims). Launches are asynchronous; load once per accelerator
/// (<c>GpuDevice.Kernel(typeof(GpuTyped), a =&gt; new GpuTyped(a))</c>).
/// </summary>
public sealed class GpuTyped
{
    /// <summary>Unary functions (<see cref="Unary"/>).</summary>
    public const int Convert = 0, Not = 1, Abs = 2, Neg = 3, Sign = 4, IsNaN = 5, IsInf = 6, BitwiseNot = 7;

    /// <summary>Binary functions (<see cref="Binary"/>); 1-5 give bool.</summary>
    public const int Equal = 1, Less = 2, LessOrEqual = 3, Greater = 4, GreaterOrEqual = 5, And = 6, Or = 7, Xor = 8,
        Add = 10, Sub = 11, Mul = 12, Div = 13, Mod = 14, FMod = 15, Max = 16, Min = 17, Pow = 18,
        ShiftLeft = 19, ShiftRight = 20, BitAnd = 21, BitOr = 22, BitXor = 23;

    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, UnaryArgs> _unary;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, BinaryArgs> _binary;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, GpuIndexMap, int> _where;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, int> _copy;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<long>, ArgArgs> _arg;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, TriluArgs> _trilu;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ScanArgs> _cumSum;

    public GpuTyped(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _unary = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, UnaryArgs>(UnaryKernel);
        _binary = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, BinaryArgs>(BinaryKernel);
        _where = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, GpuIndexMap, int>(WhereKernel);
        _copy = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, int>(CopyKernel);
        _arg = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<long>, ArgArgs>(ArgKernel);
        _trilu = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, TriluArgs>(TriluKernel);
        _cumSum = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ScanArgs>(CumSumKernel);
    }

    /// <summary>
    /// Trilu over the last two dims (<paramref name="rows"/> × <paramref name="cols"/> matrices, <paramref name="count"/>
    /// elements in all): keeps j − i ≥ k (upper) or j − i ≤ k (lower), zeros the rest.
    /// </summary>
    public void Trilu(AcceleratorStream stream, ArrayView<byte> x, ArrayView<byte> y, int count, int rows, int cols, long k, bool upper, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (width is not (1 or 2 or 4 or 8)) throw new ArgumentException($"Element width {width} is not 1, 2, 4 or 8.");
        if (rows <= 0 || cols <= 0 || count % ((long)rows * cols) != 0) throw new ArgumentException("Trilu: count must be a whole number of matrices.");
        if (x.Length < (long)count * width || y.Length < (long)count * width) throw new ArgumentException("Trilu buffers are smaller than the count needs.");
        long bound = (long)rows + cols;
        int kk = (int)Math.Clamp(k, -bound, bound);
        if (count > 0) _trilu(stream, count, x, y, new TriluArgs { Rows = rows, Cols = cols, K = kk, Upper = upper ? 1 : 0, Width = width });
    }

    /// <summary>
    /// CumSum along the middle dim of x viewed as [outer, n, inner] (x and y of <paramref name="type"/>), optionally
    /// exclusive and/or reversed; floats accumulate in double, integers in int64 (wrapping).
    /// </summary>
    public void CumSum(AcceleratorStream stream, ArrayView<byte> x, ArrayView<byte> y, int type, int outer, int n, int inner, bool exclusive, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckTypes(type, type);
        if (outer < 0 || n < 0 || inner < 0) throw new ArgumentException("CumSum sizes must be non-negative.");
        long total = (long)outer * n * inner;
        CheckLength(x, type, total);
        CheckLength(y, type, total);
        if (total > 0)
            _cumSum(stream, outer * inner, x, y, new ScanArgs { Type = type, N = n, Inner = inner, Exclusive = exclusive ? 1 : 0, Reverse = reverse ? 1 : 0 });
    }

    /// <summary>
    /// y[i] = f(x[i]) for <paramref name="count"/> elements, x of type <paramref name="xType"/>, y of
    /// <paramref name="yType"/> (ONNX codes). IsInf takes p0 = detect_positive, p1 = detect_negative (0/1).
    /// </summary>
    public void Unary(AcceleratorStream stream, int op, ArrayView<byte> x, int xType, ArrayView<byte> y, int yType, int count, int p0 = 0, int p1 = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckTypes(xType, yType);
        if ((uint)op > BitwiseNot) throw new ArgumentException($"Unknown unary function {op}.");
        CheckLength(x, xType, count);
        CheckLength(y, yType, count);
        if (count > 0) _unary(stream, count, x, y, new UnaryArgs { Op = op, XType = xType, YType = yType, P0 = p0, P1 = p1 });
    }

    /// <summary>
    /// y = f(a, b) over <paramref name="count"/> output elements; a and b are read at the offsets their maps give for
    /// each output index (see <see cref="BroadcastMap"/>). Integer Div/Mod by zero give 0 (callers check divisors).
    /// </summary>
    public void Binary(AcceleratorStream stream, int op, ArrayView<byte> a, int aType, ArrayView<byte> b, int bType, ArrayView<byte> y, int yType,
        int count, int[] outShape, int[] aShape, int[] bShape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckTypes(aType, bType);
        CheckTypes(yType, yType);
        if (op is < Equal or > BitXor or 9) throw new ArgumentException($"Unknown binary function {op}.");
        CheckLength(a, aType, (int)GpuIndexMap.Count(aShape));
        CheckLength(b, bType, (int)GpuIndexMap.Count(bShape));
        CheckLength(y, yType, count);
        if (count > 0)
            _binary(stream, count, a, b, y, BroadcastMap(outShape, aShape), BroadcastMap(outShape, bShape),
                new BinaryArgs { Op = op, AType = aType, BType = bType, YType = yType });
    }

    /// <summary>y = cond ? x : z with broadcasting; cond is bool, x, z and y share an element width.</summary>
    public void Where(AcceleratorStream stream, ArrayView<byte> cond, int[] condShape, ArrayView<byte> x, int[] xShape, ArrayView<byte> z, int[] zShape,
        ArrayView<byte> y, int[] outShape, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (width is not (1 or 2 or 4 or 8)) throw new ArgumentException($"Element width {width} is not 1, 2, 4 or 8.");
        long count = GpuIndexMap.Count(outShape);
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (cond.Length < GpuIndexMap.Count(condShape) || x.Length < GpuIndexMap.Count(xShape) * width
            || z.Length < GpuIndexMap.Count(zShape) * width || y.Length < count * width)
            throw new ArgumentException("Where buffers are smaller than the shapes need.");
        if (count > 0)
            _where(stream, (int)count, cond, x, z, y, BroadcastMap(outShape, condShape), BroadcastMap(outShape, xShape), BroadcastMap(outShape, zShape), width);
    }

    /// <summary>y[i] = x[map.Offset(i)] for <paramref name="count"/> elements of <paramref name="width"/> bytes (Expand, Tile).</summary>
    internal void Copy(AcceleratorStream stream, ArrayView<byte> x, ArrayView<byte> y, GpuIndexMap map, int count, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (width is not (1 or 2 or 4 or 8)) throw new ArgumentException($"Element width {width} is not 1, 2, 4 or 8.");
        if (y.Length < (long)count * width) throw new ArgumentException("Y is smaller than the count needs.");
        if (count > 0) _copy(stream, count, x, y, map, width);
    }

    /// <summary>y = x broadcast to <paramref name="outShape"/> (numpy rules), elements of <paramref name="width"/> bytes.</summary>
    public void Expand(AcceleratorStream stream, ArrayView<byte> x, int[] xShape, ArrayView<byte> y, int[] outShape, int width)
    {
        long count = GpuIndexMap.Count(outShape);
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < GpuIndexMap.Count(xShape) * width) throw new ArgumentException("X is smaller than its shape needs.");
        Copy(stream, x, y, BroadcastMap(outShape, xShape), (int)count, width);
    }

    /// <summary>y = x repeated repeats[d] times along each dim d (y's shape is x's times repeats).</summary>
    public void Tile(AcceleratorStream stream, ArrayView<byte> x, int[] xShape, ArrayView<byte> y, int[] outShape, int width)
    {
        if (xShape.Length != outShape.Length) throw new ArgumentException("Tile keeps the rank.");
        long count = GpuIndexMap.Count(outShape);
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (count == 0) return;
        // Output dim d splits into (repeat, xShape[d]): the repeat coordinate has stride 0.
        var sizes = new List<int>();
        var strides = new List<long>();
        var dense = GpuIndexMap.DenseStrides(xShape);
        for (int d = 0; d < xShape.Length; d++)
        {
            if (xShape[d] == 0 || outShape[d] % xShape[d] != 0) throw new ArgumentException("Tile: output dims must be multiples of the input's.");
            int reps = outShape[d] / xShape[d];
            if (reps != 1) { sizes.Add(reps); strides.Add(0); }
            if (xShape[d] != 1) { sizes.Add(xShape[d]); strides.Add(dense[d]); }
        }
        if (sizes.Count > GpuIndexMap.MaxRank) throw new NotSupportedException($"Tile on the GPU handles up to {GpuIndexMap.MaxRank} repeated-or-kept dims.");
        Copy(stream, x, y, GpuIndexMap.Create(sizes.ToArray(), strides.ToArray()), (int)count, width);
    }

    /// <summary>
    /// ArgMax (<paramref name="max"/>) or ArgMin along the middle dim of x viewed as [outer, n, inner]: y[o, i] = the
    /// index of the extreme element (first, or last with <paramref name="selectLast"/>; the first NaN wins).
    /// </summary>
    public void Arg(AcceleratorStream stream, ArrayView<byte> x, int xType, ArrayView<long> y, int outer, int n, int inner, bool max, bool selectLast)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckTypes(xType, xType);
        if (outer < 0 || n <= 0 || inner < 0) throw new ArgumentException("Arg reductions need a non-empty axis.");
        long count = (long)outer * inner;
        if ((long)outer * n * inner > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        CheckLength(x, xType, outer * n * inner);
        if (y.Length < count) throw new ArgumentException("Y is smaller than the shapes need.");
        if (count > 0) _arg(stream, (int)count, x, y, new ArgArgs { Type = xType, N = n, Inner = inner, Max = max ? 1 : 0, Last = selectLast ? 1 : 0 });
    }

    /// <summary>The map from an output index to the offset in an operand broadcast to <paramref name="outShape"/>.</summary>
    internal static GpuIndexMap BroadcastMap(int[] outShape, int[] shape)
    {
        if (shape.Length > outShape.Length) throw new ArgumentException("An operand has a higher rank than the output.");
        var dense = GpuIndexMap.DenseStrides(shape);
        var sizes = new List<int>();
        var strides = new List<long>();
        int pad = outShape.Length - shape.Length;
        for (int d = 0; d < outShape.Length; d++)
        {
            int s = d >= pad ? shape[d - pad] : 1;
            if (s != outShape[d] && s != 1) throw new ArgumentException($"Dim {d - pad} of size {s} does not broadcast to {outShape[d]}.");
            if (outShape[d] == 1) continue;   // changes no offset
            sizes.Add(outShape[d]);
            strides.Add(s == 1 ? 0 : dense[d - pad]);
        }
        // Merge neighbours that are contiguous in both (keeps the map within 8 dims and the index math short).
        for (int k = sizes.Count - 1; k > 0; k--)
            if (strides[k - 1] == strides[k] * sizes[k] && (strides[k] != 0 || strides[k - 1] == 0))
            {
                sizes[k - 1] *= sizes[k];
                strides[k - 1] = strides[k];
                sizes.RemoveAt(k);
                strides.RemoveAt(k);
            }
        if (sizes.Count > GpuIndexMap.MaxRank) throw new NotSupportedException($"Broadcasting on the GPU handles up to {GpuIndexMap.MaxRank} dims.");
        return GpuIndexMap.Create(sizes.ToArray(), strides.ToArray());
    }

    private static void CheckTypes(int a, int b)
    {
        if (!GpuScalar.Handles(a) || !GpuScalar.Handles(b)) throw new NotSupportedException($"Element types {a} and {b}: the GPU typed kernels do not handle one of them.");
    }

    private static void CheckLength(ArrayView<byte> v, int type, long count)
    {
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (v.Length < count * GpuScalar.Width(type)) throw new ArgumentException("A buffer is smaller than its element count needs.");
    }

    internal static void UnaryKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> y, UnaryArgs a)
    {
        int i = index;
        bool isFloat = GpuScalar.IsFloat(a.XType);
        switch (a.Op)
        {
            case Not:
                GpuScalar.StoreI(y, a.YType, i, GpuScalar.LoadI(x, a.XType, i) != 0 ? 0 : 1);
                return;
            case IsNaN:
            {
                double d = GpuScalar.LoadF(x, a.XType, i);
                GpuScalar.StoreI(y, a.YType, i, d != d ? 1 : 0);
                return;
            }
            case IsInf:
            {
                double d = GpuScalar.LoadF(x, a.XType, i);
                bool r = a.P0 != 0 && d == double.PositiveInfinity || a.P1 != 0 && d == double.NegativeInfinity;
                GpuScalar.StoreI(y, a.YType, i, r ? 1 : 0);
                return;
            }
        }
        if (isFloat || a.XType == GpuScalar.UInt64 && GpuScalar.IsFloat(a.YType) && a.Op == Convert)
        {
            double d = GpuScalar.LoadF(x, a.XType, i);
            switch (a.Op)
            {
                case Abs: d = XMath.Abs(d); break;
                case Neg: d = -d; break;
                case Sign: d = d > 0 ? 1 : d < 0 ? -1 : d; break;   // NaN and ±0 stay
            }
            GpuScalar.StoreF(y, a.YType, i, d);
            return;
        }
        long l = GpuScalar.LoadI(x, a.XType, i);
        bool unsigned = a.XType is GpuScalar.UInt8 or GpuScalar.UInt16 or GpuScalar.UInt32 or GpuScalar.UInt64 or GpuScalar.Bool;
        switch (a.Op)
        {
            case Abs: if (l < 0 && !unsigned) l = -l; break;
            case Neg: l = -l; break;
            case Sign: l = l == 0 ? 0 : unsigned || l > 0 ? 1 : -1; break;
            case BitwiseNot: l = ~l; break;
        }
        GpuScalar.StoreI(y, a.YType, i, l);
    }

    internal static void BinaryKernel(Index1D index, ArrayView<byte> a, ArrayView<byte> b, ArrayView<byte> y, GpuIndexMap ma, GpuIndexMap mb, BinaryArgs p)
    {
        int i = index, ia = ma.Offset(i), ib = mb.Offset(i);
        int op = p.Op;
        if (op >= And && op <= Xor)
        {
            bool x = GpuScalar.LoadI(a, p.AType, ia) != 0, z = GpuScalar.LoadI(b, p.BType, ib) != 0;
            bool r = op == And ? x && z : op == Or ? x || z : x != z;
            GpuScalar.StoreI(y, p.YType, i, r ? 1 : 0);
            return;
        }
        if (GpuScalar.IsFloat(p.AType) || GpuScalar.IsFloat(p.BType) || op == Pow)
        {
            double x = GpuScalar.LoadF(a, p.AType, ia), z = GpuScalar.LoadF(b, p.BType, ib);
            if (op <= GreaterOrEqual)
            {
                bool c = op == Equal ? x == z : op == Less ? x < z : op == LessOrEqual ? x <= z : op == Greater ? x > z : x >= z;
                GpuScalar.StoreI(y, p.YType, i, c ? 1 : 0);
                return;
            }
            double r;
            switch (op)
            {
                case Add: r = x + z; break;
                case Sub: r = x - z; break;
                case Mul: r = x * z; break;
                case Div: r = x / z; break;
                case Max: r = x != x || z != z ? double.NaN : x > z ? x : z; break;
                case Min: r = x != x || z != z ? double.NaN : x < z ? x : z; break;
                case Pow: r = XMath.Pow(x, z); break;
                case Mod:
                {
                    r = XMath.Rem(x, z);
                    if (r != 0 && (r < 0) != (z < 0)) r += z;
                    break;
                }
                case FMod: r = XMath.Rem(x, z); break;
                default: r = double.NaN; break;
            }
            if (GpuScalar.IsFloat(p.YType)) GpuScalar.StoreF(y, p.YType, i, r);
            else GpuScalar.StoreI(y, p.YType, i, GpuScalar.DoubleToInt64(r));
            return;
        }
        long u = GpuScalar.LoadI(a, p.AType, ia), v = GpuScalar.LoadI(b, p.BType, ib);
        bool uns = p.AType == GpuScalar.UInt64;
        if (op <= GreaterOrEqual)
        {
            if (uns)
            {
                u ^= long.MinValue;
                v ^= long.MinValue;
            }
            bool c = op == Equal ? u == v : op == Less ? u < v : op == LessOrEqual ? u <= v : op == Greater ? u > v : u >= v;
            GpuScalar.StoreI(y, p.YType, i, c ? 1 : 0);
            return;
        }
        long res;
        switch (op)
        {
            case Add: res = u + v; break;
            case Sub: res = u - v; break;
            case Mul: res = u * v; break;
            case Div: res = v == 0 ? 0 : uns ? (long)((ulong)u / (ulong)v) : u / v; break;
            case Mod:
            case FMod:
            {
                if (v == 0) { res = 0; break; }
                res = uns ? (long)((ulong)u % (ulong)v) : u % v;
                if (op == Mod && !uns && res != 0 && (res < 0) != (v < 0)) res += v;
                break;
            }
            case Max: res = uns ? ((ulong)u > (ulong)v ? u : v) : u > v ? u : v; break;
            case Min: res = uns ? ((ulong)u < (ulong)v ? u : v) : u < v ? u : v; break;
            case ShiftLeft: res = v >= 64 || v < 0 ? 0 : u << (int)v; break;
            case ShiftRight: res = v >= 64 || v < 0 ? 0 : (long)((ulong)u >> (int)v); break;   // unsigned types only
            case BitAnd: res = u & v; break;
            case BitOr: res = u | v; break;
            default: res = u ^ v; break;
        }
        GpuScalar.StoreI(y, p.YType, i, res);
    }

    internal static void WhereKernel(Index1D index, ArrayView<byte> cond, ArrayView<byte> x, ArrayView<byte> z, ArrayView<byte> y,
        GpuIndexMap mc, GpuIndexMap mx, GpuIndexMap mz, int width)
    {
        int i = index;
        if (cond[mc.Offset(i)] != 0) GpuScalar.Move(x, mx.Offset(i), y, i, width);
        else GpuScalar.Move(z, mz.Offset(i), y, i, width);
    }

    internal static void CopyKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> y, GpuIndexMap map, int width)
    {
        int i = index;
        GpuScalar.Move(x, map.Offset(i), y, i, width);
    }

    internal static void ArgKernel(Index1D index, ArrayView<byte> x, ArrayView<long> y, ArgArgs a)
    {
        int o = index;
        int inner = a.Inner, q = o / inner;
        int baseOff = q * a.N * inner + (o - q * inner);
        int best = 0;
        if (GpuScalar.IsFloat(a.Type))
        {
            double bv = GpuScalar.LoadF(x, a.Type, baseOff);
            for (int k = 1; k < a.N; k++)
            {
                if (bv != bv) break;   // the first NaN wins
                double v = GpuScalar.LoadF(x, a.Type, baseOff + k * inner);
                bool better = v != v || (a.Max != 0 ? v > bv : v < bv) || a.Last != 0 && v == bv;
                if (better) { bv = v; best = k; }
            }
        }
        else
        {
            long flip = a.Type == GpuScalar.UInt64 ? long.MinValue : 0;
            long bv = GpuScalar.LoadI(x, a.Type, baseOff) ^ flip;
            for (int k = 1; k < a.N; k++)
            {
                long v = GpuScalar.LoadI(x, a.Type, baseOff + k * inner) ^ flip;
                bool better = (a.Max != 0 ? v > bv : v < bv) || a.Last != 0 && v == bv;
                if (better) { bv = v; best = k; }
            }
        }
        y[o] = best;
    }

    internal static void TriluKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> y, TriluArgs a)
    {
        int i = index;
        int c = i % a.Cols, r = i / a.Cols % a.Rows;
        bool keep = a.Upper != 0 ? c - r >= a.K : c - r <= a.K;
        if (keep) GpuScalar.Move(x, i, y, i, a.Width);
        else
            switch (a.Width)
            {
                case 1: y[i] = 0; break;
                case 2: y.Cast<ushort>()[i] = 0; break;
                case 4: y.Cast<int>()[i] = 0; break;
                default: y.Cast<long>()[i] = 0; break;
            }
    }

    internal static void CumSumKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> y, ScanArgs a)
    {
        int line = index;
        int q = line / a.Inner;
        int baseOff = q * a.N * a.Inner + (line - q * a.Inner);
        bool isFloat = GpuScalar.IsFloat(a.Type);
        double f = 0;
        long l = 0;
        for (int s = 0; s < a.N; s++)
        {
            int k = a.Reverse != 0 ? a.N - 1 - s : s;
            int off = baseOff + k * a.Inner;
            if (isFloat)
            {
                double v = GpuScalar.LoadF(x, a.Type, off);
                if (a.Exclusive == 0) f += v;
                GpuScalar.StoreF(y, a.Type, off, f);
                if (a.Exclusive != 0) f += v;
            }
            else
            {
                long v = GpuScalar.LoadI(x, a.Type, off);
                if (a.Exclusive == 0) l += v;
                GpuScalar.StoreI(y, a.Type, off, l);
                if (a.Exclusive != 0) l += v;
            }
        }
    }

    internal struct TriluArgs
    {
        public int Rows, Cols, K, Upper, Width;
    }

    internal struct ScanArgs
    {
        public int Type, N, Inner, Exclusive, Reverse;
    }

    internal struct UnaryArgs
    {
        public int Op, XType, YType, P0, P1;
    }

    internal struct BinaryArgs
    {
        public int Op, AType, BType, YType;
    }

    internal struct ArgArgs
    {
        public int Type, N, Inner, Max, Last;
    }
}
