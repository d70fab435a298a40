using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// SequenceInsert: a new sequence with <c>tensor</c> inserted before <c>position</c> (default: appended). The position
/// may be negative and lies in [-n, n]; the tensor must have the sequence's element type.
/// </summary>
internal sealed class SequenceInsertOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var seq = FlowValues.Sequence(inputs, 0, "input_sequence");
        var tensor = FlowValues.Tensor(inputs, 1, "tensor");
        FlowValues.CheckElement(seq.ElementType, tensor, "SequenceInsert");
        int count = seq.Items.Count;
        int at = FlowValues.OptTensor(inputs, 2, "position") is { } p
            ? FlowValues.Position(FlowValues.Integer(p, "position"), count, allowEnd: true)
            : count;
        var result = new SequenceValue(seq.ElementType == DataType.Undefined ? tensor.DataType : seq.ElementType, seq.Items);
        result.Items.Insert(at, tensor);
        return [result];
    }
}
