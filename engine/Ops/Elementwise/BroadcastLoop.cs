using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// The one multidirectional-broadcast driver of this family: every binary op, PRelu, Where and the variadic ops run
/// through it. Fast paths for equal shapes and a scalar operand; otherwise a merged-dims strided walk whose inner row
/// loop is specialized for contiguous and broadcast operands.
/// </summary>
internal static class BroadcastLoop
{
    public static Tensor<TR> Binary<TA, TB, TR, TK>(Tensor<TA> a, Tensor<TB> b, TK kernel)
        where TK : struct, IBinaryKernel<TA, TB, TR>
    {
        var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
        var r = new Tensor<TR>(shape);
        Binary(a.Span, a.Shape, b.Span, b.Shape, r.Span, shape, kernel);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<TA, TB, TR, TK>(ReadOnlySpan<TA> a, int[] aShape, ReadOnlySpan<TB> b, int[] bShape,
        Span<TR> r, int[] rShape, TK kernel) where TK : struct, IBinaryKernel<TA, TB, TR>
    {
        int n = r.Length;
        if (n == 0) return;
        // An operand with as many elements as the output has the output's layout.
        bool aFull = a.Length == n, bFull = b.Length == n;
        if (aFull && bFull) { Row(a, 1, b, 1, r, kernel); return; }
        if (a.Length == 1 && bFull) { Row(a, 0, b, 1, r, kernel); return; }
        if (aFull && b.Length == 1) { Row(a, 1, b, 0, r, kernel); return; }

        var plan = BroadcastPlan.Create(rShape, aShape, bShape);
        int row = plan.RowLength, inner = plan.Rank - 1;
        int sa = plan.Strides[0][inner], sb = plan.Strides[1][inner];
        Span<int> index = stackalloc int[plan.Rank];
        Span<int> offsets = stackalloc int[2];
        for (int start = 0; start < n; start += row)
        {
            Row(a[offsets[0]..], sa, b[offsets[1]..], sb, r.Slice(start, row), kernel);
            plan.Advance(index, offsets);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor<TR> Ternary<TA, TB, TC, TR, TK>(Tensor<TA> a, Tensor<TB> b, Tensor<TC> c, TK kernel)
        where TK : struct, ITernaryKernel<TA, TB, TC, TR>
    {
        var shape = ShapeUtil.BroadcastAll(a.Shape, b.Shape, c.Shape);
        var r = new Tensor<TR>(shape);
        int n = r.Length;
        if (n == 0) return r;
        ReadOnlySpan<TA> sa = a.Span;
        ReadOnlySpan<TB> sb = b.Span;
        ReadOnlySpan<TC> sc = c.Span;
        var dst = r.Span;
        var plan = BroadcastPlan.Create(shape, a.Shape, b.Shape, c.Shape);
        int row = plan.RowLength, inner = plan.Rank - 1;
        int da = plan.Strides[0][inner], db = plan.Strides[1][inner], dc = plan.Strides[2][inner];
        Span<int> index = stackalloc int[plan.Rank];
        Span<int> offsets = stackalloc int[3];
        for (int start = 0; start < n; start += row)
        {
            int ia = offsets[0], ib = offsets[1], ic = offsets[2];
            var rowOut = dst.Slice(start, row);
            for (int i = 0; i < rowOut.Length; i++, ia += da, ib += db, ic += dc)
                rowOut[i] = kernel.Invoke(sa[ia], sb[ib], sc[ic]);
            plan.Advance(index, offsets);
        }
        return r;
    }

    /// <summary>One row: element strides 1 (contiguous) or 0 (broadcast) get their own loops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TA, TB, TR, TK>(ReadOnlySpan<TA> a, int sa, ReadOnlySpan<TB> b, int sb, Span<TR> r, TK kernel)
        where TK : struct, IBinaryKernel<TA, TB, TR>
    {
        int n = r.Length;
        if (sa == 1 && sb == 1)
        {
            a = a[..n];
            b = b[..n];
            for (int i = 0; i < n; i++) r[i] = kernel.Invoke(a[i], b[i]);
        }
        else if (sa == 0 && sb == 1)
        {
            var x = a[0];
            b = b[..n];
            for (int i = 0; i < n; i++) r[i] = kernel.Invoke(x, b[i]);
        }
        else if (sa == 1 && sb == 0)
        {
            var y = b[0];
            a = a[..n];
            for (int i = 0; i < n; i++) r[i] = kernel.Invoke(a[i], y);
        }
        else
        {
            for (int i = 0, ia = 0, ib = 0; i < n; i++, ia += sa, ib += sb) r[i] = kernel.Invoke(a[ia], b[ib]);
        }
    }
}
