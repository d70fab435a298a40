using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>GlobalAveragePool: X [N, C, spatial...] → [N, C, 1, ...], the mean of each plane.</summary>
internal sealed class GlobalAveragePool : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [GlobalPool.Run("GlobalAveragePool", inputs.Req(0), max: false)];
}
