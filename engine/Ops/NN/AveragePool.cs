using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// AveragePool over 1-3 spatial dims (kernel_shape, strides, pads/auto_pad, dilations, ceil_mode). The divisor is the
/// number of in-bounds elements, or with count_include_pad = 1 the window positions inside the padded input.
/// </summary>
internal sealed class AveragePool(ConvAttributes attrs, bool countIncludePad) : TensorOp
{
    public static AveragePool Create(OpBuildContext ctx) =>
        new(ConvAttributes.ForPool(ctx.Attributes), ctx.Attributes.Int("count_include_pad", 0) != 0);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [PoolDriver.Run("AveragePool", inputs.Req(0), attrs, new PoolDriver.Options(PoolKind.Average, countIncludePad), false).Y];
}
