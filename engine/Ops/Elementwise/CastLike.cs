using NativeInfer.IR;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;

namespace NativeInfer.Ops.Elementwise;

/// <summary>CastLike: converts input 0 to the element type of input 1 (same rules as <see cref="Cast"/>).</summary>
internal sealed class CastLike(OpBuildContext ctx) : TensorOp
{
    private readonly bool _saturate = ctx.Attributes.Int("saturate", 1) != 0;
    private readonly E8M0RoundMode _roundMode = Float8E8M0.ParseRoundMode(ctx.Attributes.String("round_mode", "up"));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        LowPrecisionCast.Handles(inputs.Req(0).DataType, inputs.Req(1).DataType)
            ? [LowPrecisionCast.Cast(inputs.Req(0), inputs.Req(1).DataType, _saturate, _roundMode)]
            : [ElementCast.Convert(inputs.Req(0), inputs.Req(1).DataType)];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 1 && inputs[0] is { } x && inputs[1] is { } like ? [x with { ElementType = like.ElementType }] : null;
}
