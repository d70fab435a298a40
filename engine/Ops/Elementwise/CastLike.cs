using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>CastLike: converts input 0 to the element type of input 1 (same rules as <see cref="Cast"/>).</summary>
internal sealed class CastLike : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [ElementCast.Convert(inputs.Req(0), inputs.Req(1).DataType)];
}
