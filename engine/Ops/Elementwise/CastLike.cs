using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>CastLike: converts input 0 to the element type of input 1 (same rules as <see cref="Cast"/>).</summary>
internal sealed class CastLike : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [ElementCast.Convert(inputs.Req(0), inputs.Req(1).DataType)];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 1 && inputs[0] is { } x && inputs[1] is { } like ? [x with { ElementType = like.ElementType }] : null;
}
