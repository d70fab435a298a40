using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// SequenceErase: a new sequence without the tensor at <c>position</c> (default: the last one). The position may be
/// negative and lies in [-n, n-1].
/// </summary>
internal sealed class SequenceEraseOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var seq = FlowValues.Sequence(inputs, 0, "input_sequence");
        long position = FlowValues.OptTensor(inputs, 1, "position") is { } p ? FlowValues.Integer(p, "position") : -1;
        int at = FlowValues.Position(position, seq.Items.Count, allowEnd: false);
        var result = new SequenceValue(seq.ElementType, seq.Items);
        result.Items.RemoveAt(at);
        return [result];
    }
}
