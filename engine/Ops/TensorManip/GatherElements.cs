using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// GatherElements: out[i] = data[i with i_axis replaced by indices[i]]; indices has data's rank and its other dims must
/// not exceed data's. Negative indices count from the back; out of range throws.
/// </summary>
internal sealed class GatherElements(long axis) : TensorOp
{
    public static GatherElements Create(OpBuildContext ctx) => new(ctx.Attributes.Int("axis", 0));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var data = inputs.Req(0);
        var indices = inputs.Req(1);
        int a = ShapeUtil.NormalizeAxis(axis, data.Rank);
        var offsets = ElementOffsets.Along(data.Shape, indices, a, "GatherElements");
        var y = Tensor.Create(data.DataType, (int[])indices.Shape.Clone());
        TensorCopy.Gather(data, offsets, 1, y);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeRules.Like(inputs, 0, TypeRules.At(inputs, 1)?.Shape)];
}
