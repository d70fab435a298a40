using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Type-agnostic data movement shared by the family: strided copies (transpose, slice, broadcast, tile, pad interior),
/// block gathers/scatters (Gather, GatherND, Compress, ScatterND, ...) and fills. Every copy moves the innermost
/// contiguous run with one span copy; only strided inner runs fall back to an element loop.
/// </summary>
internal static class TensorCopy
{
    /// <summary>
    /// For every index i of <paramref name="shape"/>: dst[dstOffset + Σ i_d·dstStrides_d] = src[srcOffset + Σ i_d·srcStrides_d].
    /// Strides may be zero (broadcast) or negative (reversed slices).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Strided<T>(ReadOnlySpan<T> src, int srcOffset, ReadOnlySpan<int> srcStrides,
        Span<T> dst, int dstOffset, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        Span<int> dims = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> ss = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> ds = rank <= 16 ? stackalloc int[rank] : new int[rank];
        int n = 0;
        for (int d = 0; d < rank; d++)
        {
            int len = shape[d];
            if (len == 0) return;
            if (len == 1) continue;
            // merge with the previous (outer) dim when the pair walks memory like one longer dim on both sides
            if (n > 0 && ss[n - 1] == srcStrides[d] * len && ds[n - 1] == dstStrides[d] * len)
            {
                dims[n - 1] *= len;
                ss[n - 1] = srcStrides[d];
                ds[n - 1] = dstStrides[d];
                continue;
            }
            dims[n] = len;
            ss[n] = srcStrides[d];
            ds[n] = dstStrides[d];
            n++;
        }
        if (n == 0)
        {
            dst[dstOffset] = src[srcOffset];
            return;
        }
        int inner = dims[n - 1], innerSrc = ss[n - 1], innerDst = ds[n - 1];
        int outer = n - 1;
        Span<int> counter = outer <= 16 ? stackalloc int[outer] : new int[outer];
        counter.Clear();
        int so = srcOffset, dOff = dstOffset;
        while (true)
        {
            CopyRun(src, so, innerSrc, dst, dOff, innerDst, inner);
            int d = outer - 1;
            for (; d >= 0; d--)
            {
                so += ss[d];
                dOff += ds[d];
                if (++counter[d] < dims[d]) break;
                so -= ss[d] * dims[d];
                dOff -= ds[d] * dims[d];
                counter[d] = 0;
            }
            if (d < 0) return;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRun<T>(ReadOnlySpan<T> src, int so, int srcStride, Span<T> dst, int dOff, int dstStride, int len)
    {
        if (dstStride == 1 && srcStride == 1) src.Slice(so, len).CopyTo(dst.Slice(dOff, len));
        else if (dstStride == 1 && srcStride == 0) dst.Slice(dOff, len).Fill(src[so]);
        else
            for (int i = 0; i < len; i++, so += srcStride, dOff += dstStride)
                dst[dOff] = src[so];
    }

    /// <summary>Strided copy between two tensors of the same element type (see <see cref="Strided{T}"/>).</summary>
    public static void Copy(Tensor src, int srcOffset, int[] srcStrides, Tensor dst, int dstOffset, int[] dstStrides, int[] shape)
    {
        CheckSameType(src, dst);
        Dispatch.Any<StridedFunc, bool>(src.DataType, new StridedFunc(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape));
    }

    /// <summary>A new contiguous tensor of <paramref name="shape"/> read from <paramref name="src"/> through the given strides.</summary>
    public static Tensor View(Tensor src, int srcOffset, int[] srcStrides, int[] shape)
    {
        var dst = RawTensor.Uninitialized(src.DataType, shape);   // the copy writes every element
        if (dst.Length > 0) Copy(src, srcOffset, srcStrides, dst, 0, ShapeUtil.Strides(shape), shape);
        return dst;
    }

    /// <summary>Copies the box of <paramref name="lengths"/> at corner srcLo of src to corner dstLo of dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyRegion(Tensor src, int[] srcLo, Tensor dst, int[] dstLo, int[] lengths)
    {
        var ss = ShapeUtil.Strides(src.Shape);
        var ds = ShapeUtil.Strides(dst.Shape);
        int so = 0, dOff = 0;
        for (int d = 0; d < lengths.Length; d++)
        {
            if (lengths[d] == 0) return;
            so += srcLo[d] * ss[d];
            dOff += dstLo[d] * ds[d];
        }
        Copy(src, so, ss, dst, dOff, ds, lengths);
    }

    /// <summary>
    /// Views <paramref name="src"/> (contiguous) as <paramref name="viewShape"/> and returns its axes permuted:
    /// output dim i is view dim perm[i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Permute(Tensor src, int[] viewShape, int[] perm)
    {
        var strides = ShapeUtil.Strides(viewShape);
        var shape = new int[perm.Length];
        var srcStrides = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            shape[i] = viewShape[perm[i]];
            srcStrides[i] = strides[perm[i]];
        }
        return View(src, 0, srcStrides, shape);
    }

    /// <summary>dst block i (of <paramref name="block"/> elements, laid out back to back) = src block at srcStarts[i].</summary>
    public static void Gather(Tensor src, int[] srcStarts, int block, Tensor dst) =>
        MoveBlocks(src, srcStarts, dst, null, srcStarts.Length, block);

    /// <summary>dst block at dstStarts[i] = src block i (blocks of src laid out back to back); later blocks win.</summary>
    public static void Scatter(Tensor src, Tensor dst, int[] dstStarts, int block) =>
        MoveBlocks(src, null, dst, dstStarts, dstStarts.Length, block);

    /// <summary>Moves <paramref name="count"/> blocks; a null start list means blocks back to back from 0.</summary>
    public static void MoveBlocks(Tensor src, int[]? srcStarts, Tensor dst, int[]? dstStarts, int count, int block)
    {
        CheckSameType(src, dst);
        if (count == 0 || block == 0) return;
        Dispatch.Any<BlockFunc, bool>(src.DataType, new BlockFunc(src, srcStarts, dst, dstStarts, count, block));
    }

    /// <summary>Fills <paramref name="dst"/> with element <paramref name="index"/> of <paramref name="value"/>.</summary>
    public static void Fill(Tensor dst, Tensor value, int index)
    {
        CheckSameType(value, dst);
        if ((uint)index >= (uint)value.Length) throw new ArgumentException("The fill value tensor is empty.");
        if (dst.Length > 0) MoveBlocks(value, new[] { index }, dst, new[] { 0 }, 1, 1);
        if (dst.Length > 1)
            Copy(dst, 0, new int[dst.Rank], dst, 0, ShapeUtil.Strides(dst.Shape), dst.Shape);
    }

    private static void CheckSameType(Tensor a, Tensor b)
    {
        if (a.DataType != b.DataType)
            throw new InvalidOperationException(
                $"Element types differ: {DataTypes.Name(a.DataType)} and {DataTypes.Name(b.DataType)}.");
    }

    private readonly struct StridedFunc(Tensor src, int srcOffset, int[] srcStrides, Tensor dst, int dstOffset, int[] dstStrides, int[] shape)
        : IAnyFunc<bool>
    {
        public bool Invoke<T>()
        {
            Strided<T>(src.As<T>().Span, srcOffset, srcStrides, dst.As<T>().Span, dstOffset, dstStrides, shape);
            return true;
        }
    }

    private readonly struct BlockFunc(Tensor src, int[]? srcStarts, Tensor dst, int[]? dstStarts, int count, int block)
        : IAnyFunc<bool>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Invoke<T>()
        {
            ReadOnlySpan<T> s = src.As<T>().Span;
            Span<T> d = dst.As<T>().Span;
            for (int i = 0; i < count; i++)
            {
                int so = srcStarts is null ? i * block : srcStarts[i];
                int dOff = dstStarts is null ? i * block : dstStarts[i];
                if (block == 1) d[dOff] = s[so];
                else s.Slice(so, block).CopyTo(d.Slice(dOff, block));
            }
            return true;
        }
    }
}
