using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// MaxPool over 1-3 spatial dims (kernel_shape, strides, pads/auto_pad, dilations, ceil_mode); padding never wins.
/// The optional Indices output holds each maximum's flattened index into X (row-major, or column-major within the
/// plane when storage_order = 1). float, double, float16, bfloat16, int8, uint8.
/// </summary>
internal sealed class MaxPool(ConvAttributes attrs, bool columnMajor) : TensorOp
{
    public static MaxPool Create(OpBuildContext ctx)
    {
        long order = ctx.Attributes.Int("storage_order", 0);
        if (order is not (0 or 1)) throw new NotSupportedException($"MaxPool storage_order {order} is not supported.");
        return new MaxPool(ConvAttributes.ForPool(ctx.Attributes), order == 1);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        bool withIndices = ctx.OutputRequested(1);
        var (y, indices) = PoolDriver.Run("MaxPool", inputs.Req(0), attrs,
            new PoolDriver.Options(PoolKind.Max, ColumnMajorIndices: columnMajor), withIndices);
        return ctx.OutputCount > 1 ? [y, indices] : [y];
    }
}
