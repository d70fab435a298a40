using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// LpPool: (Σ|x|^p)^(1/p) over each window (kernel_shape, strides, pads/auto_pad, dilations, ceil_mode); p defaults
/// to 2 (opset 1 stored it as a float attribute, later opsets as an int).
/// </summary>
internal sealed class LpPool(ConvAttributes attrs, double p) : TensorOp
{
    public static LpPool Create(OpBuildContext ctx)
    {
        double p = ctx.Attributes.All.TryGetValue("p", out var v)
            ? v.Value switch { long l => l, float f => f, _ => throw new NotSupportedException("LpPool p must be a number.") }
            : 2;
        if (!(p > 0)) throw new NotSupportedException($"LpPool p must be positive, got {p}.");
        return new LpPool(ConvAttributes.ForPool(ctx.Attributes), p);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [PoolDriver.Run("LpPool", inputs.Req(0), attrs, new PoolDriver.Options(PoolKind.Lp, P: p), false).Y];
}
