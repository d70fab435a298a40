using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>SequenceLength: the number of tensors in a sequence, as an int64 scalar.</summary>
internal sealed class SequenceLengthOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs) =>
        [Tensor<long>.Scalar(FlowValues.Sequence(inputs, 0, "input_sequence").Items.Count)];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeInfo.Tensor(DataType.Int64, [])];
}
