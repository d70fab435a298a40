using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// Element-type-agnostic block copies used by this family: concatenating or stacking tensors along an axis and
/// slicing a range along an axis. Every element type (strings and bool included) is handled through one dispatch.
/// </summary>
internal static class TensorBlocks
{
    /// <summary>
    /// Joins <paramref name="parts"/> (same element type) along <paramref name="axis"/>. With <paramref name="newAxis"/>
    /// every part must have the same shape and a new axis of size parts.Count is inserted at <paramref name="axis"/>;
    /// otherwise the parts must agree on every dimension but <paramref name="axis"/>.
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis, bool newAxis)
    {
        if (parts.Count == 0) throw new ArgumentException("Cannot concatenate an empty list of tensors.");
        var first = parts[0];
        int rank = first.Rank;
        int outRank = newAxis ? rank + 1 : rank;
        if (!newAxis && rank == 0) throw new ShapeMismatchException("Scalars can only be joined along a new axis.");
        if (axis < 0 || axis >= Math.Max(outRank, 1))
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for rank {outRank}.");
        long joined = 0;
        foreach (var p in parts)
        {
            if (p.DataType != first.DataType)
                throw new InvalidOperationException(
                    $"Cannot join {DataTypes.Name(p.DataType)} and {DataTypes.Name(first.DataType)} tensors.");
            if (p.Rank != rank)
                throw new ShapeMismatchException($"Cannot join shapes {ShapeUtil.Format(first.Shape)} and {ShapeUtil.Format(p.Shape)}.");
            for (int d = 0; d < rank; d++)
                if (p.Shape[d] != first.Shape[d] && (newAxis || d != axis))
                    throw new ShapeMismatchException(
                        $"Cannot join shapes {ShapeUtil.Format(first.Shape)} and {ShapeUtil.Format(p.Shape)} along axis {axis}{(newAxis ? " (new axis)" : "")}.");
            joined += newAxis ? 1 : p.Shape[axis];
        }
        if (joined > Array.MaxLength) throw new TensorSizeException($"Joining along axis {axis} gives {joined} elements on that axis.");
        int[] outShape;
        if (newAxis) outShape = InsertAxis(first.Shape, axis, parts.Count);
        else
        {
            outShape = (int[])first.Shape.Clone();
            outShape[axis] = (int)joined;
        }
        var result = Tensor.Create(first.DataType, outShape);
        int outer = ShapeUtil.ElementCount(outShape.AsSpan(0, axis));
        var copy = new ConcatCopy(parts, outer);
        Visit(result, ref copy);
        return result;
    }

    /// <summary>Elements [start, start+length) along <paramref name="axis"/>; the rank is kept.</summary>
    public static Tensor Slice(Tensor src, int axis, int start, int length)
    {
        int dim = src.Shape[axis];
        if (start < 0 || length < 0 || start > dim - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Range [{start}, {start + length}) is outside axis {axis} of size {dim}.");
        var shape = (int[])src.Shape.Clone();
        shape[axis] = length;
        int outer = ShapeUtil.ElementCount(src.Shape.AsSpan(0, axis));
        int inner = ShapeUtil.ElementCount(src.Shape.AsSpan(axis + 1));
        var slice = new SliceCopy(dim, start, length, outer, inner, shape);
        Visit(src, ref slice);
        return slice.Result!;
    }

    /// <summary>Element <paramref name="index"/> along <paramref name="axis"/>, with that axis removed.</summary>
    public static Tensor Take(Tensor src, int axis, int index) =>
        Slice(src, axis, index, 1).Reshape(RemoveAxis(src.Shape, axis));

    /// <summary>The shape without dimension <paramref name="axis"/>.</summary>
    public static int[] RemoveAxis(int[] shape, int axis)
    {
        var r = new int[shape.Length - 1];
        for (int d = 0, k = 0; d < shape.Length; d++) if (d != axis) r[k++] = shape[d];
        return r;
    }

    /// <summary>The shape with a dimension of size <paramref name="size"/> inserted at <paramref name="axis"/>.</summary>
    public static int[] InsertAxis(int[] shape, int axis, int size)
    {
        var r = new int[shape.Length + 1];
        for (int d = 0, k = 0; d < r.Length; d++) r[d] = d == axis ? size : shape[k++];
        return r;
    }

    private interface ITensorAction
    {
        void Invoke<T>(Tensor<T> t);
    }

    /// <summary>Calls <paramref name="action"/> with the typed view of <paramref name="t"/>.</summary>
    private static void Visit<TAction>(Tensor t, ref TAction action) where TAction : struct, ITensorAction
    {
        switch (t)
        {
            case Tensor<float> x: action.Invoke(x); break;
            case Tensor<double> x: action.Invoke(x); break;
            case Tensor<Half> x: action.Invoke(x); break;
            case Tensor<Kernels.Numerics.BFloat16> x: action.Invoke(x); break;
            case Tensor<sbyte> x: action.Invoke(x); break;
            case Tensor<short> x: action.Invoke(x); break;
            case Tensor<int> x: action.Invoke(x); break;
            case Tensor<long> x: action.Invoke(x); break;
            case Tensor<byte> x: action.Invoke(x); break;
            case Tensor<ushort> x: action.Invoke(x); break;
            case Tensor<uint> x: action.Invoke(x); break;
            case Tensor<ulong> x: action.Invoke(x); break;
            case Tensor<bool> x: action.Invoke(x); break;
            case Tensor<string> x: action.Invoke(x); break;
            default: throw new NotSupportedException($"Element type {DataTypes.Name(t.DataType)} is not supported here.");
        }
    }

    /// <summary>For each outer index, copies each part's block (its elements below the axis) in order.</summary>
    private readonly struct ConcatCopy(IReadOnlyList<Tensor> parts, int outer) : ITensorAction
    {
        public void Invoke<T>(Tensor<T> dst)
        {
            var d = dst.Span;
            int offset = 0;
            for (int o = 0; o < outer; o++)
                foreach (var p in parts)
                {
                    if (p.Length == 0) continue;
                    int block = p.Length / outer;
                    p.As<T>().Span.Slice(o * block, block).CopyTo(d.Slice(offset, block));
                    offset += block;
                }
        }
    }

    /// <summary>Copies a range along an axis; a slice of the outermost axis is a view, not a copy.</summary>
    private struct SliceCopy(int dim, int start, int length, int outer, int inner, int[] shape) : ITensorAction
    {
        public Tensor? Result;

        public void Invoke<T>(Tensor<T> s)
        {
            if (outer == 1)
            {
                Result = new Tensor<T>(s.Memory.Slice(start * inner, length * inner), shape);
                return;
            }
            var dst = new Tensor<T>(shape);
            var from = s.Span;
            var to = dst.Span;
            int block = length * inner;
            for (int o = 0; o < outer; o++)
                from.Slice((o * dim + start) * inner, block).CopyTo(to.Slice(o * block, block));
            Result = dst;
        }
    }
}
