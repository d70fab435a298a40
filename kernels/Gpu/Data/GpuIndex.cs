using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Typed;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// The index ops over any element type <see cref="GpuScalar"/> handles, one compiled body per kernel: Gather,
/// GatherElements, GatherND (batch_dims), and the write steps of ScatterElements and ScatterND (reduction none, add, mul,
/// max, min) and of TensorScatter (a KV-cache update). Indices are int32 or int64 (<see cref="GpuScalar.Int32"/>/<see cref="GpuScalar.Int64"/>) read as they are
/// on the device; a negative index counts from the end of its dim. A kernel cannot throw, so the caller validates the
/// indices first (the backend checks them on the host); an index still out of range reads as a zero element (gathers) or
/// is skipped (scatters), never an access outside the buffers.
/// <para>
/// Scatters are exact and deterministic with duplicate indices: every output element is written by exactly one thread,
/// which applies its updates in the order of the updates tensor (the CPU op's order, so "none" keeps the last update).
/// ScatterElements runs one thread per line along the axis (two updates can only meet on one output element when they
/// differ only in the axis coordinate); ScatterND runs one thread per element of the copied slice, looping over the index
/// rows (the parallelism is the slice length, the work per thread the row count). Float-class values combine in double and
/// round once to the element type (exact for + and × of float32/float16/bfloat16 operands); integers wrap.
/// </para>
/// Scatter kernels update <c>y</c> in place: the caller copies data into it first. Launches are asynchronous; load once per
/// accelerator.
/// </summary>
public sealed class GpuIndex
{
    /// <summary>Scatter reductions.</summary>
    public const int None = 0, Add = 1, Mul = 2, Max = 3, Min = 4;

    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GatherArgs> _gather;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, ElementArgs> _gatherElements;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, NdArgs> _gatherNd;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, ElementArgs> _scatterElements;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, NdArgs> _scatterNd;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<long>, CacheArgs> _cacheWrite;

    public GpuIndex(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _gather = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GatherArgs>(GatherKernel);
        _gatherElements = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, ElementArgs>(GatherElementsKernel);
        _gatherNd = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, NdArgs>(GatherNdKernel);
        _scatterElements = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, GpuIndexMap, ElementArgs>(ScatterElementsKernel);
        _scatterNd = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, GpuIndexMap, NdArgs>(ScatterNdKernel);
        _cacheWrite = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<long>, CacheArgs>(CacheWriteKernel);
    }

    /// <summary>
    /// Gather along one axis: x viewed as [outer, axisSize, inner], y = [outer, indexCount, inner],
    /// y[o, j, i] = x[o, idx[j], i]; elements of <paramref name="width"/> bytes.
    /// </summary>
    public void Gather(AcceleratorStream stream, ArrayView<byte> x, ArrayView<byte> indices, int indexType, ArrayView<byte> y,
        int outer, int axisSize, int inner, int indexCount, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckWidth(width);
        CheckIndexType(indexType);
        if (outer < 0 || axisSize < 0 || inner < 0 || indexCount < 0) throw new ArgumentException("Gather sizes must be non-negative.");
        long inCount = (long)outer * axisSize * inner, outCount = (long)outer * indexCount * inner;
        CheckBytes(x, inCount, width, "X");
        CheckBytes(y, outCount, width, "Y");
        CheckBytes(indices, indexCount, GpuScalar.Width(indexType), "The indices");
        if (outCount == 0) return;
        _gather(stream, (int)outCount, x, indices, y,
            new GatherArgs { AxisSize = axisSize, Inner = inner, Count = indexCount, IndexType = indexType, Width = width });
    }

    /// <summary>
    /// GatherElements: y has the indices' shape, y[i] = x[i with coordinate <paramref name="axis"/> replaced by idx[i]]
    /// (indices of x's rank, each other dim at most x's).
    /// </summary>
    public void GatherElements(AcceleratorStream stream, ArrayView<byte> x, int[] xShape, ArrayView<byte> indices, int indexType, int[] indexShape,
        int axis, ArrayView<byte> y, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (map, args) = ElementLayout(xShape, indexShape, axis, indexType, width);
        long count = GpuIndexMap.Count(indexShape);
        CheckBytes(x, GpuIndexMap.Count(xShape), width, "X");
        CheckBytes(y, count, width, "Y");
        CheckBytes(indices, count, GpuScalar.Width(indexType), "The indices");
        if (count > 0) _gatherElements(stream, (int)count, x, indices, y, map, args);
    }

    /// <summary>
    /// GatherND: each row of the last indices axis (length k) addresses the slice x[b..., i0..ik-1, ...] after
    /// <paramref name="batchDims"/> leading dims shared by x and the indices; y = indices.shape[..-1] + x.shape[batchDims+k..].
    /// </summary>
    public void GatherND(AcceleratorStream stream, ArrayView<byte> x, int[] xShape, ArrayView<byte> indices, int indexType, int[] indexShape,
        int batchDims, ArrayView<byte> y, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (map, args, rows) = NdLayout(xShape, indexShape, batchDims, indexType, width, 0);
        long count = (long)rows * args.Block;
        CheckBytes(x, GpuIndexMap.Count(xShape), width, "X");
        CheckBytes(y, count, width, "Y");
        CheckBytes(indices, (long)rows * args.K, GpuScalar.Width(indexType), "The indices");
        if (count > 0) _gatherNd(stream, (int)count, x, indices, y, map, args);
    }

    /// <summary>
    /// The write step of ScatterElements on y (already a copy of data, shape <paramref name="yShape"/>, element type
    /// <paramref name="type"/>): y[i with coordinate axis replaced by idx[i]] ⊕= updates[i], updates of the indices' shape.
    /// </summary>
    public void ScatterElements(AcceleratorStream stream, ArrayView<byte> y, int[] yShape, int type, ArrayView<byte> indices, int indexType,
        int[] indexShape, ArrayView<byte> updates, int axis, int reduction)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckScatter(type, reduction);
        var (dataMap, args) = ElementLayout(yShape, indexShape, axis, indexType, GpuScalar.Width(type));
        long count = GpuIndexMap.Count(indexShape);
        CheckBytes(y, GpuIndexMap.Count(yShape), args.Width, "Y");
        CheckBytes(updates, count, args.Width, "The updates");
        CheckBytes(indices, count, GpuScalar.Width(indexType), "The indices");
        if (count == 0) return;
        // Lines: the indices' shape with the axis dim dropped, mapped into the indices (dense) and into y.
        int rank = yShape.Length;
        var sizes = new int[rank - 1];
        var iStrides = new long[rank - 1];
        var yStrides = new long[rank - 1];
        var iDense = GpuIndexMap.DenseStrides(indexShape);
        var yDense = GpuIndexMap.DenseStrides(yShape);
        for (int d = 0, k = 0; d < rank; d++)
        {
            if (d == axis) continue;
            sizes[k] = indexShape[d];
            iStrides[k] = iDense[d];
            yStrides[k] = yDense[d];
            k++;
        }
        args.Type = type;
        args.Reduction = reduction;
        args.Count = indexShape[axis];
        args.IndexStride = (int)iDense[axis];
        int lines = (int)(count / indexShape[axis]);
        _scatterElements(stream, lines, y, indices, updates, GpuIndexMap.Create(sizes, iStrides), GpuIndexMap.Create(sizes, yStrides), args);
    }

    /// <summary>
    /// The write step of ScatterND on y (already a copy of data): each row of the last indices axis (length k) addresses the
    /// slice y[i0..ik-1, ...], combined with the matching slice of updates (shape indices.shape[..-1] + y.shape[k..]).
    /// </summary>
    public void ScatterND(AcceleratorStream stream, ArrayView<byte> y, int[] yShape, int type, ArrayView<byte> indices, int indexType,
        int[] indexShape, ArrayView<byte> updates, int reduction)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckScatter(type, reduction);
        var (map, args, rows) = NdLayout(yShape, indexShape, 0, indexType, GpuScalar.Width(type), reduction);
        args.Type = type;
        args.Rows = rows;
        CheckBytes(y, GpuIndexMap.Count(yShape), args.Width, "Y");
        CheckBytes(updates, (long)rows * args.Block, args.Width, "The updates");
        CheckBytes(indices, (long)rows * args.K, GpuScalar.Width(indexType), "The indices");
        if (rows > 0 && args.Block > 0) _scatterNd(stream, args.Block, y, indices, updates, map, args);
    }

    /// <summary>
    /// The write step of TensorScatter on y (already a copy of the cache, viewed as [batch·outer, maxLen, inner]): the
    /// update, viewed as [batch·outer, len, inner], lands at positions writeAt[b] + i along the middle dim (mod maxLen when
    /// <paramref name="circular"/>), b = row / <paramref name="outerPerBatch"/>. The caller checks writeAt (in range, and
    /// len ≤ maxLen), so the positions of one row are distinct and every element is written once.
    /// </summary>
    public void CacheWrite(AcceleratorStream stream, ArrayView<byte> y, ArrayView<byte> update, ArrayView<long> writeAt,
        int batch, int outerPerBatch, int maxLen, int len, int inner, bool circular, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckWidth(width);
        if (batch < 0 || outerPerBatch < 0 || maxLen < 0 || len < 0 || inner < 0 || len > maxLen)
            throw new ArgumentException("TensorScatter sizes must be non-negative with len ≤ maxLen.");
        long rows = (long)batch * outerPerBatch, count = rows * len * inner;
        CheckBytes(y, rows * maxLen * inner, width, "Y");
        CheckBytes(update, count, width, "The update");
        if (writeAt.Length < batch) throw new ArgumentException("One write index per batch is needed.");
        if (count > 0)
            _cacheWrite(stream, (int)count, y, update, writeAt,
                new CacheArgs { OuterPerBatch = outerPerBatch, MaxLen = maxLen, Len = len, Inner = inner, Circular = circular ? 1 : 0, Width = width });
    }

    private static (GpuIndexMap Map, ElementArgs Args) ElementLayout(int[] xShape, int[] indexShape, int axis, int indexType, int width)
    {
        CheckWidth(width);
        CheckIndexType(indexType);
        int rank = xShape.Length;
        if (indexShape.Length != rank) throw new ArgumentException($"The indices have rank {indexShape.Length}, the data {rank}.");
        if ((uint)axis >= (uint)rank) throw new ArgumentException($"Axis {axis} is outside rank {rank}.");
        if (rank > GpuIndexMap.MaxRank) throw new NotSupportedException($"GPU index kernels handle up to {GpuIndexMap.MaxRank} dims.");
        for (int d = 0; d < rank; d++)
            if (indexShape[d] < 0 || d != axis && indexShape[d] > xShape[d])
                throw new ArgumentException($"Indices dim {d} of size {indexShape[d]} exceeds the data's {xShape[d]}.");
        var strides = GpuIndexMap.DenseStrides(xShape);
        var mapStrides = (long[])strides.Clone();
        mapStrides[axis] = 0;
        return (GpuIndexMap.Create(indexShape, mapStrides),
            new ElementArgs { AxisSize = xShape[axis], AxisStride = (int)strides[axis], IndexType = indexType, Width = width });
    }

    private static (GpuIndexMap Map, NdArgs Args, int Rows) NdLayout(int[] xShape, int[] indexShape, int batchDims, int indexType, int width, int reduction)
    {
        CheckWidth(width);
        CheckIndexType(indexType);
        if (indexShape.Length < 1) throw new ArgumentException("The indices need rank ≥ 1.");
        int k = indexShape[^1];
        if (batchDims < 0 || batchDims > 0 && batchDims >= Math.Min(xShape.Length, indexShape.Length))
            throw new ArgumentException($"batch_dims {batchDims} is out of range.");
        if (k < 0 || batchDims + k > xShape.Length) throw new ArgumentException($"Index rows of length {k} do not fit the data's rank {xShape.Length}.");
        if (k > GpuIndexMap.MaxRank) throw new NotSupportedException($"GPU index kernels handle index rows of up to {GpuIndexMap.MaxRank}.");
        for (int d = 0; d < batchDims; d++)
            if (xShape[d] != indexShape[d]) throw new ArgumentException($"Batch dim {d} differs between the data and the indices.");
        var strides = GpuIndexMap.DenseStrides(xShape);
        long block = 1;
        for (int d = batchDims + k; d < xShape.Length; d++) block *= xShape[d];
        long rows = 1, perBatch = 1;
        for (int d = 0; d < indexShape.Length - 1; d++)
        {
            rows *= indexShape[d];
            if (d >= batchDims) perBatch *= indexShape[d];
        }
        if (rows * block > int.MaxValue || rows * Math.Max(k, 1) > int.MaxValue)
            throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        var dims = new int[k];
        var steps = new int[k];
        for (int j = 0; j < k; j++)
        {
            dims[j] = xShape[batchDims + j];
            steps[j] = (int)strides[batchDims + j];
        }
        var args = new NdArgs
        {
            K = k, Block = (int)block, RowsPerBatch = (int)Math.Max(perBatch, 1),
            BatchSize = batchDims == 0 ? 0 : (int)strides[batchDims - 1], IndexType = indexType, Width = width, Reduction = reduction,
        };
        return (GpuIndexMap.Values(dims, steps), args, (int)rows);
    }

    private static void CheckScatter(int type, int reduction)
    {
        if (!GpuScalar.Handles(type)) throw new NotSupportedException($"Element type {type} is not handled by the GPU typed kernels.");
        if ((uint)reduction > Min) throw new ArgumentException($"Unknown scatter reduction {reduction}.");
        if (reduction != None && type == GpuScalar.Bool) throw new NotSupportedException("Scatter reductions of bool are not supported.");
    }

    private static void CheckWidth(int width)
    {
        if (width is not (1 or 2 or 4 or 8)) throw new ArgumentException($"Element width {width} is not 1, 2, 4 or 8.");
    }

    private static void CheckIndexType(int type)
    {
        if (type is not (GpuScalar.Int32 or GpuScalar.Int64)) throw new ArgumentException($"Indices must be int32 or int64 (type {type}).");
    }

    private static void CheckBytes(ArrayView<byte> v, long count, int width, string what)
    {
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (v.Length < count * width) throw new ArgumentException($"{what} buffer is smaller than its shape needs.");
    }

    /// <summary>Index i as a position in [0, dim), or −1 when out of range (negative indices count from the end).</summary>
    private static int LoadIndex(ArrayView<byte> indices, int type, int i, int dim)
    {
        long k = type == GpuScalar.Int32 ? indices.Cast<int>()[i] : indices.Cast<long>()[i];
        if (k < 0) k += dim;
        return k >= 0 && k < dim ? (int)k : -1;
    }

    private static void StoreZero(ArrayView<byte> y, int i, int width)
    {
        switch (width)
        {
            case 1: y[i] = 0; break;
            case 2: y.Cast<ushort>()[i] = 0; break;
            case 4: y.Cast<int>()[i] = 0; break;
            default: y.Cast<long>()[i] = 0; break;
        }
    }

    /// <summary>y[yi] = y[yi] ⊕ u[ui] under the reduction (None: a plain copy).</summary>
    private static void Combine(ArrayView<byte> y, int yi, ArrayView<byte> u, int ui, int type, int width, int reduction)
    {
        if (reduction == None)
        {
            GpuScalar.Move(u, ui, y, yi, width);
            return;
        }
        if (GpuScalar.IsFloat(type))
        {
            double a = GpuScalar.LoadF(y, type, yi), b = GpuScalar.LoadF(u, type, ui), r;
            switch (reduction)
            {
                case Add: r = a + b; break;
                case Mul: r = a * b; break;
                default:
                    if (a != a || b != b) r = double.NaN;
                    else if (a == b) r = (Interop.FloatAsInt(a) >> 63 != 0) == (reduction == Max) ? b : a;   // ±0: max prefers +0, min −0
                    else r = (a > b) == (reduction == Max) ? a : b;
                    break;
            }
            GpuScalar.StoreF(y, type, yi, r);
            return;
        }
        long p = GpuScalar.LoadI(y, type, yi), q = GpuScalar.LoadI(u, type, ui), s;
        switch (reduction)
        {
            case Add: s = p + q; break;
            case Mul: s = p * q; break;
            default:
            {
                long flip = type == GpuScalar.UInt64 ? long.MinValue : 0;   // unsigned order for uint64 bits
                s = ((p ^ flip) > (q ^ flip)) == (reduction == Max) ? p : q;
                break;
            }
        }
        GpuScalar.StoreI(y, type, yi, s);
    }

    internal static void GatherKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> indices, ArrayView<byte> y, GatherArgs a)
    {
        int e = index;
        int q = e / a.Inner, i = e - q * a.Inner, o = q / a.Count, j = q - o * a.Count;
        int k = LoadIndex(indices, a.IndexType, j, a.AxisSize);
        if (k >= 0) GpuScalar.Move(x, (o * a.AxisSize + k) * a.Inner + i, y, e, a.Width);
        else StoreZero(y, e, a.Width);
    }

    internal static void GatherElementsKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> indices, ArrayView<byte> y, GpuIndexMap map, ElementArgs a)
    {
        int e = index;
        int k = LoadIndex(indices, a.IndexType, e, a.AxisSize);
        if (k >= 0) GpuScalar.Move(x, map.Offset(e) + k * a.AxisStride, y, e, a.Width);
        else StoreZero(y, e, a.Width);
    }

    /// <summary>The flat start of index row r in the data, or −1 when an index is out of range.</summary>
    private static int RowStart(ArrayView<byte> indices, GpuIndexMap dims, NdArgs a, int r)
    {
        int start = r / a.RowsPerBatch * a.BatchSize;
        for (int j = 0; j < a.K; j++)
        {
            int k = LoadIndex(indices, a.IndexType, r * a.K + j, dims.Size(j));
            if (k < 0) return -1;
            start += k * dims.Stride(j);
        }
        return start;
    }

    internal static void GatherNdKernel(Index1D index, ArrayView<byte> x, ArrayView<byte> indices, ArrayView<byte> y, GpuIndexMap dims, NdArgs a)
    {
        int e = index;
        int r = e / a.Block, b = e - r * a.Block;
        int start = RowStart(indices, dims, a, r);
        if (start >= 0) GpuScalar.Move(x, start + b, y, e, a.Width);
        else StoreZero(y, e, a.Width);
    }

    internal static void ScatterElementsKernel(Index1D index, ArrayView<byte> y, ArrayView<byte> indices, ArrayView<byte> updates,
        GpuIndexMap lineInIndices, GpuIndexMap lineInY, ElementArgs a)
    {
        int line = index;
        int ib = lineInIndices.Offset(line), yb = lineInY.Offset(line);
        for (int t = 0; t < a.Count; t++)
        {
            int e = ib + t * a.IndexStride;
            int k = LoadIndex(indices, a.IndexType, e, a.AxisSize);
            if (k >= 0) Combine(y, yb + k * a.AxisStride, updates, e, a.Type, a.Width, a.Reduction);
        }
    }

    internal static void ScatterNdKernel(Index1D index, ArrayView<byte> y, ArrayView<byte> indices, ArrayView<byte> updates, GpuIndexMap dims, NdArgs a)
    {
        int s = index;
        for (int r = 0; r < a.Rows; r++)
        {
            int start = RowStart(indices, dims, a, r);
            if (start >= 0) Combine(y, start + s, updates, r * a.Block + s, a.Type, a.Width, a.Reduction);
        }
    }

    internal static void CacheWriteKernel(Index1D index, ArrayView<byte> y, ArrayView<byte> update, ArrayView<long> writeAt, CacheArgs a)
    {
        int e = index;
        int q = e / a.Inner, j = e - q * a.Inner, row = q / a.Len, i = q - row * a.Len;
        long at = writeAt[row / a.OuterPerBatch] + i;
        if (a.Circular != 0) at %= a.MaxLen;
        if (at >= 0 && at < a.MaxLen) GpuScalar.Move(update, e, y, (row * a.MaxLen + (int)at) * a.Inner + j, a.Width);
    }

    internal struct CacheArgs
    {
        public int OuterPerBatch, MaxLen, Len, Inner, Circular, Width;
    }

    internal struct GatherArgs
    {
        public int AxisSize, Inner, Count, IndexType, Width;
    }

    internal struct ElementArgs
    {
        public int AxisSize, AxisStride, IndexType, Width, Type, Reduction, Count, IndexStride;
    }

    internal struct NdArgs
    {
        public int K, Block, RowsPerBatch, BatchSize, IndexType, Width, Type, Reduction, Rows;
    }
}
