using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// SequenceMap: runs <c>body</c> once per element of <c>input_sequence</c>. Each additional input is either a sequence
/// of the same length (its i-th element is passed) or a tensor (passed unchanged every time). Body output j of every
/// run is collected into output sequence j.
/// </summary>
internal sealed class SequenceMapOp : Op
{
    private readonly Graph _body;

    public SequenceMapOp(OpBuildContext ctx)
    {
        _body = ctx.Attributes.Graph("body") ?? throw new NotSupportedException("SequenceMap: the 'body' attribute is missing.");
        if (_body.Inputs.Count != ctx.InputCount)
            throw new NotSupportedException($"SequenceMap: the body takes {_body.Inputs.Count} inputs but the node has {ctx.InputCount}.");
        if (ctx.OutputCount > _body.Outputs.Count)
            throw new NotSupportedException($"SequenceMap: the node declares {ctx.OutputCount} outputs but the body yields {_body.Outputs.Count}.");
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var seq = FlowValues.Sequence(inputs, 0, "input_sequence");
        int n = seq.Items.Count;
        for (int j = 1; j < inputs.Length; j++)
        {
            if (inputs[j] is SequenceValue s && s.Items.Count != n)
                throw new ShapeMismatchException($"SequenceMap: additional input {j} has {s.Items.Count} elements, expected {n}.");
            if (inputs[j] is null or OptionalValue or MapValue)
                throw new InvalidOperationException($"SequenceMap: additional input {j} must be a tensor or a sequence.");
        }

        var results = new List<Tensor>[ctx.OutputCount];
        for (int k = 0; k < results.Length; k++) results[k] = new(n);
        var bodyInputs = new Value?[inputs.Length];
        for (int i = 0; i < n; i++)
        {
            bodyInputs[0] = seq.Items[i];
            for (int j = 1; j < inputs.Length; j++)
                bodyInputs[j] = inputs[j] is SequenceValue s ? s.Items[i] : inputs[j];
            var outs = ctx.RunSubgraph(_body, bodyInputs);
            for (int k = 0; k < results.Length; k++)
                results[k].Add(outs[k] as Tensor
                    ?? throw new InvalidOperationException($"SequenceMap: body output {k} must be a tensor."));
        }

        var result = new Value?[ctx.OutputCount];
        for (int k = 0; k < result.Length; k++)
        {
            var type = results[k].Count > 0 ? results[k][0].DataType : DeclaredElementType(k);
            var output = new SequenceValue(type);
            foreach (var t in results[k])
            {
                FlowValues.CheckElement(type, t, "SequenceMap");
                output.Items.Add(t);
            }
            result[k] = output;
        }
        return result;
    }

    private DataType DeclaredElementType(int k) => FlowValues.DeclaredElementType(_body.Outputs[k].Type);
}
