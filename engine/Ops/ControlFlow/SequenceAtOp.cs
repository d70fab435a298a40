using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>SequenceAt: the tensor at <c>position</c> (int32/int64 scalar, negative counts from the back).</summary>
internal sealed class SequenceAtOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var seq = FlowValues.Sequence(inputs, 0, "input_sequence");
        long position = FlowValues.Integer(FlowValues.Tensor(inputs, 1, "position"), "position");
        return [seq.Items[FlowValues.Position(position, seq.Items.Count, allowEnd: false)]];
    }
}
