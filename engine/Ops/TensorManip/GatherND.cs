using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// GatherND: each row of the last indices axis (length k) addresses a slice data[b..., i0..ik-1, ...] within the
/// batch_dims leading dims shared by data and indices. Output shape = indices.shape[..-1] + data.shape[batch_dims+k..].
/// </summary>
internal sealed class GatherND(int batchDims) : TensorOp
{
    public static GatherND Create(OpBuildContext ctx) => new((int)ctx.Attributes.Int("batch_dims", 0));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var data = inputs.Req(0);
        var indices = inputs.Req(1);
        var nd = NdIndex.Resolve(data.Shape, indices, batchDims, "GatherND");
        int[] shape = [.. indices.Shape[..^1], .. data.Shape[(batchDims + nd.K)..]];
        var y = Tensor.Create(data.DataType, shape);
        TensorCopy.Gather(data, nd.Starts, nd.Block, y);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
