using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// Scan: runs <c>body</c> once per slice of the scan inputs, threading N state values through the iterations. The body
/// takes (N states, M scan-input slices) and returns (N states, K scan-output slices). Outputs: the N final states, then
/// the K scan outputs, each the per-iteration slices stacked along a new axis.
/// Opset 9+: inputs are (N initial states, M scan inputs); scan_input_axes / scan_input_directions choose the axis and
/// direction each input is sliced along, scan_output_axes / scan_output_directions where and in which order outputs
/// are stacked (negative axes count from the back).
/// Opset 8: inputs are (sequence_lens, N initial states, M scan inputs), all with a leading batch axis; scan inputs are
/// sliced along axis 1 (direction per input from <c>directions</c>), each batch entry runs sequence_lens[b] iterations
/// (all when omitted), and scan outputs are [batch, max length, ...] with the tail of shorter entries zero-filled.
/// </summary>
internal sealed class ScanOp : Op
{
    private readonly Graph _body;
    private readonly bool _batched;
    private readonly int _states;
    private readonly int _scanInputs;
    private readonly int _scanOutputs;
    private readonly long[] _inputAxes;
    private readonly bool[] _inputReverse;
    private readonly long[] _outputAxes;
    private readonly bool[] _outputReverse;

    public ScanOp(OpBuildContext ctx)
    {
        _body = ctx.Attributes.Graph("body") ?? throw new NotSupportedException("Scan: the 'body' attribute is missing.");
        _batched = ctx.Opset < 9;
        long m = ctx.Attributes.Int("num_scan_inputs");
        int offset = _batched ? 1 : 0;
        if (m < 1 || m > ctx.InputCount - offset)
            throw new NotSupportedException($"Scan: num_scan_inputs = {m} does not fit the node's {ctx.InputCount} inputs.");
        _scanInputs = (int)m;
        _states = ctx.InputCount - offset - _scanInputs;
        _scanOutputs = _body.Outputs.Count - _states;
        if (_body.Inputs.Count != _states + _scanInputs || _scanOutputs < 0)
            throw new NotSupportedException(
                $"Scan: the body has {_body.Inputs.Count} inputs and {_body.Outputs.Count} outputs, which does not match {_states} states and {_scanInputs} scan inputs.");
        if (ctx.OutputCount > _states + _scanOutputs)
            throw new NotSupportedException($"Scan: the node declares {ctx.OutputCount} outputs but the body yields {_states + _scanOutputs}.");

        var a = ctx.Attributes;
        _inputReverse = Directions(a.Ints(_batched ? "directions" : "scan_input_directions"), _scanInputs, "input directions");
        _inputAxes = _batched ? new long[_scanInputs] : Axes(a.Ints("scan_input_axes"), _scanInputs, "scan_input_axes");
        _outputReverse = _batched ? new bool[_scanOutputs] : Directions(a.Ints("scan_output_directions"), _scanOutputs, "scan_output_directions");
        _outputAxes = _batched ? new long[_scanOutputs] : Axes(a.Ints("scan_output_axes"), _scanOutputs, "scan_output_axes");
    }

    private static bool[] Directions(long[]? values, int count, string name)
    {
        if (values is null) return new bool[count];
        if (values.Length != count) throw new NotSupportedException($"Scan: {name} has {values.Length} entries, expected {count}.");
        return values.Select(v => v switch
        {
            0 => false,
            1 => true,
            _ => throw new NotSupportedException($"Scan: {name} entries must be 0 or 1, got {v}."),
        }).ToArray();
    }

    private static long[] Axes(long[]? values, int count, string name)
    {
        if (values is null) return new long[count];
        if (values.Length != count) throw new NotSupportedException($"Scan: {name} has {values.Length} entries, expected {count}.");
        return values;
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        int offset = _batched ? 1 : 0;
        var states = new Tensor[_states];
        for (int i = 0; i < _states; i++) states[i] = FlowValues.Tensor(inputs, offset + i, $"initial_state[{i}]");
        var xs = new Tensor[_scanInputs];
        for (int j = 0; j < _scanInputs; j++) xs[j] = FlowValues.Tensor(inputs, offset + _states + j, $"scan_input[{j}]");
        var outputs = _batched
            ? RunBatched(ctx, FlowValues.OptTensor(inputs, 0, "sequence_lens"), states, xs)
            : RunUnbatched(ctx, states, xs);
        var result = new Value?[ctx.OutputCount];
        for (int i = 0; i < result.Length; i++)
            if (ctx.OutputRequested(i)) result[i] = outputs[i];
        return result;
    }

    private Tensor[] RunUnbatched(OpContext ctx, Tensor[] states, Tensor[] xs)
    {
        var axes = new int[_scanInputs];
        int length = -1;
        for (int j = 0; j < _scanInputs; j++)
        {
            if (xs[j].Rank == 0) throw new ShapeMismatchException($"Scan: scan input {j} is a scalar; it needs an axis to scan.");
            axes[j] = ShapeUtil.NormalizeAxis(_inputAxes[j], xs[j].Rank);
            int len = xs[j].Shape[axes[j]];
            if (length >= 0 && len != length)
                throw new ShapeMismatchException($"Scan: scan inputs have different lengths along their scan axes ({length} and {len}).");
            length = len;
        }
        var scans = NewAccumulators();
        var final = Iterate(ctx, states, xs, axes, length, scans);
        var result = new Tensor[_states + _scanOutputs];
        final.CopyTo(result, 0);
        for (int k = 0; k < _scanOutputs; k++)
        {
            int rank = scans[k].Count > 0 ? scans[k].Items[0].Rank + 1 : DeclaredRank(k) + 1;
            int axis = ShapeUtil.NormalizeAxis(_outputAxes[k], rank);
            result[_states + k] = scans[k].Stack(axis, _outputReverse[k]);
        }
        return result;
    }

    private Tensor[] RunBatched(OpContext ctx, Tensor? sequenceLens, Tensor[] states, Tensor[] xs)
    {
        int batch = -1, maxLength = -1;
        foreach (var t in states.Concat(xs))
        {
            if (t.Rank == 0) throw new ShapeMismatchException("Scan (opset 8): every state and scan input needs a leading batch axis.");
            if (batch >= 0 && t.Shape[0] != batch)
                throw new ShapeMismatchException($"Scan (opset 8): batch sizes differ ({batch} and {t.Shape[0]}).");
            batch = t.Shape[0];
        }
        foreach (var x in xs)
        {
            if (x.Rank < 2) throw new ShapeMismatchException($"Scan (opset 8): scan input {x} needs [batch, sequence, ...] axes.");
            if (maxLength >= 0 && x.Shape[1] != maxLength)
                throw new ShapeMismatchException($"Scan (opset 8): scan inputs have different sequence lengths ({maxLength} and {x.Shape[1]}).");
            maxLength = x.Shape[1];
        }
        long[]? lens = sequenceLens?.ToInt64Array();
        if (lens is not null && lens.Length != batch)
            throw new ShapeMismatchException($"Scan (opset 8): sequence_lens has {lens.Length} entries for a batch of {batch}.");

        var finalStates = new List<Tensor>[_states];
        for (int i = 0; i < _states; i++) finalStates[i] = new(batch);
        var perBatch = new ScanAccumulator[batch][];
        var axes = new int[_scanInputs];
        for (int b = 0; b < batch; b++)
        {
            long len = lens?[b] ?? maxLength;
            if (len < 0 || len > maxLength)
                throw new ArgumentOutOfRangeException(nameof(sequenceLens), $"Scan (opset 8): sequence length {len} is outside [0, {maxLength}].");
            var s = states.Select(t => TensorBlocks.Take(t, 0, b)).ToArray();
            var x = xs.Select(t => TensorBlocks.Take(t, 0, b)).ToArray();
            perBatch[b] = NewAccumulators();
            var final = Iterate(ctx, s, x, axes, (int)len, perBatch[b]);
            for (int i = 0; i < _states; i++) finalStates[i].Add(final[i]);
        }

        var result = new Tensor[_states + _scanOutputs];
        for (int i = 0; i < _states; i++)
            result[i] = batch > 0 ? TensorBlocks.Concat(finalStates[i], 0, newAxis: true) : states[i];
        for (int k = 0; k < _scanOutputs; k++)
            result[_states + k] = StackBatch(perBatch.Select(p => p[k]).ToList(), maxLength, k);
        return result;
    }

    /// <summary>Stacks each batch entry's slices to [maxLength, ...] (zero tail) and those along a new batch axis.</summary>
    private Tensor StackBatch(List<ScanAccumulator> batches, int maxLength, int k)
    {
        var sample = batches.FirstOrDefault(a => a.Count > 0)?.Items[0];
        if (sample is null) return Tensor.Create(ElementTypeOf(k), [batches.Count, 0]);
        var entries = new List<Tensor>(batches.Count);
        foreach (var acc in batches)
        {
            var parts = new List<Tensor>(2);
            if (acc.Count > 0) parts.Add(acc.Stack(0, reverse: false));
            if (acc.Count < maxLength)
                parts.Add(Tensor.Create(sample.DataType, TensorBlocks.InsertAxis(sample.Shape, 0, maxLength - acc.Count)));
            entries.Add(parts.Count == 1 ? parts[0] : TensorBlocks.Concat(parts, 0, newAxis: false));
        }
        return TensorBlocks.Concat(entries, 0, newAxis: true);
    }

    /// <summary>Runs the body <paramref name="length"/> times; returns the final states.</summary>
    private Tensor[] Iterate(OpContext ctx, Tensor[] states, Tensor[] xs, int[] axes, int length, ScanAccumulator[] scans)
    {
        var current = (Tensor[])states.Clone();
        var bodyInputs = new Value?[_states + _scanInputs];
        for (int t = 0; t < length; t++)
        {
            current.CopyTo(bodyInputs, 0);
            for (int j = 0; j < _scanInputs; j++)
                bodyInputs[_states + j] = TensorBlocks.Take(xs[j], axes[j], _inputReverse[j] ? length - 1 - t : t);
            var outs = ctx.RunSubgraph(_body, bodyInputs);
            for (int i = 0; i < _states; i++)
                current[i] = outs[i] as Tensor
                    ?? throw new InvalidOperationException($"Scan: body state output {i} must be a tensor.");
            for (int k = 0; k < _scanOutputs; k++) scans[k].Add(outs[_states + k]);
        }
        return current;
    }

    private ScanAccumulator[] NewAccumulators()
    {
        var r = new ScanAccumulator[_scanOutputs];
        for (int k = 0; k < r.Length; k++)
        {
            var info = _body.Outputs[_states + k];
            r[k] = new ScanAccumulator("Scan", info.Name, info.Type);
        }
        return r;
    }

    private int DeclaredRank(int k) => _body.Outputs[_states + k].Type?.Shape?.Length ?? 0;

    private DataType ElementTypeOf(int k) => FlowValues.DeclaredElementType(_body.Outputs[_states + k].Type);
}
