using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// Loop: runs <c>body</c> while the iteration count is below the trip count <c>M</c> (when given) and the condition
/// holds (when given). The body gets (iteration_num: int64 scalar, cond: bool, N loop-carried values) and returns
/// (cond, N carried values, K scan outputs); it may read outer-scope values. Outputs: the N final carried values (the
/// initial ones when no iteration ran; tensors, sequences or optionals), then the K scan outputs stacked along a new
/// first axis. As in the ONNX reference implementation and ONNX Runtime, the body's cond output ends the loop even
/// when the node's cond input is omitted; without M and cond, only the body's cond bounds the loop.
/// </summary>
internal sealed class LoopOp : Op
{
    private readonly Graph _body;
    private readonly int _carried;
    private readonly int _scans;

    public LoopOp(OpBuildContext ctx)
    {
        _body = ctx.Attributes.Graph("body") ?? throw new NotSupportedException("Loop: the 'body' attribute is missing.");
        _carried = Math.Max(0, ctx.InputCount - 2);
        if (_body.Inputs.Count != _carried + 2)
            throw new NotSupportedException(
                $"Loop: the body takes {_body.Inputs.Count} inputs but the node passes {_carried} carried values (+ iteration, cond).");
        _scans = _body.Outputs.Count - 1 - _carried;
        if (_scans < 0)
            throw new NotSupportedException($"Loop: the body returns {_body.Outputs.Count} outputs, fewer than cond + {_carried} carried values.");
        if (ctx.OutputCount > _carried + _scans)
            throw new NotSupportedException($"Loop: the node declares {ctx.OutputCount} outputs but the body yields {_carried + _scans}.");
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        long? tripCount = FlowValues.OptTensor(inputs, 0, "M") is { } m ? FlowValues.Integer(m, "M") : null;
        bool cond = inputs.Length <= 1 || inputs[1] is null || FlowValues.Condition(inputs[1], "cond");

        var state = new Value?[_carried];
        for (int i = 0; i < _carried; i++) state[i] = inputs[2 + i];
        var scans = new ScanAccumulator[_scans];
        for (int s = 0; s < _scans; s++)
        {
            var info = _body.Outputs[1 + _carried + s];
            scans[s] = new ScanAccumulator("Loop", info.Name, info.Type);
        }

        var bodyInputs = new Value?[2 + _carried];
        for (long i = 0; cond && (tripCount is null || i < tripCount); i++)
        {
            bodyInputs[0] = Tensor<long>.Scalar(i);
            bodyInputs[1] = Tensor<bool>.Scalar(cond);
            Array.Copy(state, 0, bodyInputs, 2, _carried);
            var outs = ctx.RunSubgraph(_body, bodyInputs);
            cond = FlowValues.Condition(outs[0], "Loop body cond output");
            Array.Copy(outs, 1, state, 0, _carried);
            for (int s = 0; s < _scans; s++) scans[s].Add(outs[1 + _carried + s]);
        }

        var result = new Value?[ctx.OutputCount];
        for (int i = 0; i < result.Length; i++)
        {
            if (!ctx.OutputRequested(i)) continue;
            result[i] = i < _carried ? state[i] : scans[i - _carried].Stack(0, reverse: false);
        }
        return result;
    }
}
