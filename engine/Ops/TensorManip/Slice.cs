using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Slice: takes [start, end) with a step on the listed axes (default: the first len(starts) axes, step 1). Negative
/// starts/ends count from the back; out-of-range values clamp ([0, dim] for positive steps, [-1, dim-1] for negative
/// ones); a negative step walks backwards. Before opset 10 starts/ends/axes are attributes; since, inputs 1-4.
/// </summary>
internal sealed class Slice(long[]? startsAttr, long[]? endsAttr, long[]? axesAttr) : TensorOp
{
    public static Slice Create(OpBuildContext ctx) => ctx.Opset < 10
        ? new(ctx.Attributes.Ints("starts") ?? throw new ArgumentException("Slice-1 needs starts."),
              ctx.Attributes.Ints("ends") ?? throw new ArgumentException("Slice-1 needs ends."),
              ctx.Attributes.Ints("axes"))
        : new(null, null, null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var starts = startsAttr ?? inputs.Req(1).ToInt64Array();
        var ends = endsAttr ?? inputs.Req(2).ToInt64Array();
        var axes = startsAttr is null ? IndexMath.ReadInts(inputs.Opt(3)) : axesAttr;
        var steps = startsAttr is null ? IndexMath.ReadInts(inputs.Opt(4)) : null;
        int n = starts.Length;
        if (ends.Length != n || axes is not null && axes.Length != n || steps is not null && steps.Length != n)
            throw new ShapeMismatchException("Slice starts, ends, axes and steps must have the same length.");
        var axisList = axes is null ? Enumerable.Range(0, n).ToArray() : IndexMath.NormalizeAxes(axes, x.Rank);
        if (axes is null && n > x.Rank) throw new ShapeMismatchException($"Slice has {n} starts for rank {x.Rank}.");

        var strides = ShapeUtil.Strides(x.Shape);
        var shape = (int[])x.Shape.Clone();
        var srcStrides = (int[])strides.Clone();
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            int a = axisList[i];
            long step = steps?[i] ?? 1;
            if (step == 0) throw new ArgumentException("Slice steps must not be 0.");
            step = Math.Clamp(step, -Array.MaxLength, Array.MaxLength); // a step past the dim takes one element either way
            var (start, count) = Resolve(starts[i], ends[i], step, x.Shape[a]);
            shape[a] = count;
            if (count == 0) continue;
            offset += start * strides[a];
            srcStrides[a] = count > 1 ? checked((int)(strides[a] * step)) : 0;
        }
        return [TensorCopy.View(x, offset, srcStrides, shape)];
    }

    /// <summary>The clamped first index and element count of one sliced axis.</summary>
    private static (int Start, int Count) Resolve(long start, long end, long step, int dim)
    {
        if (dim == 0) return (0, 0);
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        long count;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            count = end > start ? (end - start - 1) / step + 1 : 0;
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            count = start > end ? (start - end - 1) / -step + 1 : 0;
        }
        return ((int)start, (int)count);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
