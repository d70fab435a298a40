using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Kernels.Threading;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// The SIMD paths of the elementwise family for float (unary and binary) and double (binary): tensors in, a fresh
/// output tensor out, large tensors split across threads. Binary broadcasting: equal shapes and a scalar operand run
/// one flat loop; anything else walks the merged-dims <see cref="BroadcastPlan"/> row by row, each row (the innermost
/// merged dim: H×W for a per-channel [1,C,1,1] operand) a contiguous-by-contiguous or contiguous-by-scalar loop.
/// Other element types stay on the generic loops (<see cref="UnaryLoop"/>, <see cref="BroadcastLoop"/>).
/// </summary>
internal static unsafe class FastElementwise
{
    /// <summary>y = op(x) for a float tensor.</summary>
    public static Tensor<float> Unary<TOp>(Tensor<float> x, TOp op) where TOp : struct, IUnaryOperator
    {
        var r = Tensor<float>.Uninitialized((int[])x.Shape.Clone()); // every element is written below
        if (r.Length == 0) return r;
        using var hx = x.Memory.Pin();
        using var hr = r.Memory.Pin();
        ElementwiseParallel.Unary((float*)hx.Pointer, (float*)hr.Pointer, r.Length, op);
        return r;
    }

    /// <summary>
    /// The float or double binary path for two tensors of one of those types, or null (another type, or mixed types:
    /// the generic path reports those).
    /// </summary>
    public static Tensor? FloatOrDouble<TF, TD>(Tensor a, Tensor b, TF floatOp, TD doubleOp)
        where TF : struct, IBinaryOperator<float> where TD : struct, IBinaryOperator<double>
    {
        if (a.DataType != b.DataType) return null;
        return a.DataType switch
        {
            DataType.Float => Binary(a.As<float>(), b.As<float>(), floatOp),
            DataType.Double => Binary(a.As<double>(), b.As<double>(), doubleOp),
            _ => null,
        };
    }

    /// <summary>c = op(a, b) with multidirectional broadcasting.</summary>
    public static Tensor<T> Binary<T, TOp>(Tensor<T> a, Tensor<T> b, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
        var r = Tensor<T>.Uninitialized(shape); // every path below writes every element
        int n = r.Length;
        if (n == 0) return r;
        using var ha = a.Memory.Pin();
        using var hb = b.Memory.Pin();
        using var hr = r.Memory.Pin();
        T* pa = (T*)ha.Pointer, pb = (T*)hb.Pointer, pr = (T*)hr.Pointer;
        // An operand with as many elements as the output has the output's layout.
        bool aFull = a.Length == n, bFull = b.Length == n;
        if (aFull && bFull) ElementwiseParallel.Binary(pa, pb, pr, n, op);
        else if (aFull && b.Length == 1) ElementwiseParallel.BinaryScalarRight(pa, *pb, pr, n, op);
        else if (bFull && a.Length == 1) ElementwiseParallel.BinaryScalarLeft(*pa, pb, pr, n, op);
        else Broadcast(pa, a.Shape, pb, b.Shape, pr, shape, op);
        return r;
    }

    private static void Broadcast<T, TOp>(T* a, int[] aShape, T* b, int[] bShape, T* r, int[] shape, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        var plan = BroadcastPlan.Create(shape, aShape, bShape);
        int row = plan.RowLength, rows = ShapeUtil.ElementCount(shape) / row;
        int chunks = Math.Min(ElementwiseParallel.ChunkCount((long)rows * row), rows);
        if (chunks <= 1)
        {
            Rows(plan, a, b, r, 0, rows, op);
            return;
        }
        KernelParallelism.For(0, chunks, c =>
        {
            int first = (int)((long)rows * c / chunks), end = (int)((long)rows * (c + 1) / chunks);
            Rows(plan, a, b, r, first, end, op);
        });
    }

    /// <summary>Output rows [first, end) of a broadcast plan; every row's inner strides are 1 or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T, TOp>(BroadcastPlan plan, T* a, T* b, T* r, int first, int end, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int rank = plan.Rank, row = plan.RowLength;
        int sa = plan.Strides[0][rank - 1], sb = plan.Strides[1][rank - 1];
        Span<int> index = stackalloc int[rank];
        Span<int> offsets = stackalloc int[2];
        // Odometer position of the first row.
        long rem = first;
        for (int d = rank - 2; d >= 0; d--)
        {
            index[d] = (int)(rem % plan.Dims[d]);
            rem /= plan.Dims[d];
            offsets[0] += index[d] * plan.Strides[0][d];
            offsets[1] += index[d] * plan.Strides[1][d];
        }
        for (int i = first; i < end; i++)
        {
            var dst = new Span<T>(r + (long)i * row, row);
            T* ra = a + offsets[0], rb = b + offsets[1];
            if (sa == 1 && sb == 1) BinaryKernel.Map(new ReadOnlySpan<T>(ra, row), new ReadOnlySpan<T>(rb, row), dst, op);
            else if (sa == 1) BinaryKernel.MapScalarRight(new ReadOnlySpan<T>(ra, row), *rb, dst, op);
            else if (sb == 1) BinaryKernel.MapScalarLeft(*ra, new ReadOnlySpan<T>(rb, row), dst, op);
            else dst.Fill(op.Invoke(*ra, *rb));
            plan.Advance(index, offsets);
        }
    }
}
