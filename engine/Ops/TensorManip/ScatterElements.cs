using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// ScatterElements (and the deprecated Scatter): a copy of data where, for each element i of indices, the position
/// i-with-i_axis-replaced-by-indices[i] receives updates[i], or is combined with it under reduction add/mul/max/min
/// (opset 16/18). Negative indices count from the back; out of range throws.
/// </summary>
internal sealed class ScatterElements(long axis, ScatterReduction reduction) : TensorOp
{
    public static ScatterElements Create(OpBuildContext ctx) =>
        new(ctx.Attributes.Int("axis", 0), ScatterReduce.Parse(ctx.Attributes.String("reduction", "none")));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var data = inputs.Req(0);
        var indices = inputs.Req(1);
        var updates = inputs.Req(2);
        if (!updates.Shape.AsSpan().SequenceEqual(indices.Shape))
            throw new ShapeMismatchException(
                $"ScatterElements updates {ShapeUtil.Format(updates.Shape)} must have the indices shape {ShapeUtil.Format(indices.Shape)}.");
        int a = ShapeUtil.NormalizeAxis(axis, data.Rank);
        var offsets = ElementOffsets.Along(data.Shape, indices, a, "ScatterElements");
        return [ScatterReduce.Apply(data, updates, offsets, 1, reduction)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeRules.At(inputs, 0)];
}
