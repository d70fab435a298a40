using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>SequenceConstruct: a sequence of its input tensors, in order; they must share one element type.</summary>
internal sealed class SequenceConstructOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("SequenceConstruct needs at least one input.");
        var first = FlowValues.Tensor(inputs, 0, "inputs[0]");
        var result = new SequenceValue(first.DataType);
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = FlowValues.Tensor(inputs, i, $"inputs[{i}]");
            FlowValues.CheckElement(first.DataType, t, "SequenceConstruct");
            result.Items.Add(t);
        }
        return [result];
    }
}
