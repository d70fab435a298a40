using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Size: the input's element count as an int64 scalar.</summary>
internal sealed class Size : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [Tensor<long>.Scalar(inputs.Req(0).Length)];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeInfo.Tensor(DataType.Int64, [])];
}
