using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>GlobalMaxPool: X [N, C, spatial...] → [N, C, 1, ...], the maximum of each plane (NaN propagates).</summary>
internal sealed class GlobalMaxPool : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [GlobalPool.Run("GlobalMaxPool", inputs.Req(0), max: true)];
}
