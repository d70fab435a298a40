using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Shared frame of the ai.onnx.preview.training optimizers: inputs are R (learning rate scalar), T (update count
/// scalar), then n tensors X, n gradients G and n tensors for each optimizer state; outputs are the n new X followed by
/// the n new values of each state. Every X, G and state of one group has the same shape.
/// </summary>
internal abstract class TrainingOptimizer : TensorOp
{
    private readonly int _states;
    private readonly string _name;

    protected TrainingOptimizer(string name, int states)
    {
        _name = name;
        _states = states;
    }

    /// <summary>Updates one group in place: <paramref name="x"/> and every array of <paramref name="states"/>.</summary>
    protected abstract void Step(double r, long t, double[] x, double[] g, double[][] states);

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        int groups = inputs.Length - 2;
        if (groups <= 0 || groups % (2 + _states) != 0) return null;
        int n = groups / (2 + _states);
        var r = new TypeInfo?[n * (1 + _states)];
        for (int i = 0; i < n; i++)
        {
            r[i] = inputs[2 + i];
            for (int s = 0; s < _states; s++) r[(1 + s) * n + i] = inputs[2 + (2 + s) * n + i];
        }
        return r;
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        int groups = inputs.Length - 2;
        if (groups <= 0 || groups % (2 + _states) != 0)
            throw new ArgumentException($"{_name}: expected R, T and {2 + _states} equally long lists of tensors, got {inputs.Length} inputs.");
        int n = groups / (2 + _states);
        double r = MiscTensors.ScalarDouble(inputs.Req(0), _name, "R");
        long t = MiscTensors.ScalarInt(inputs.Req(1), _name, "T");
        var outputs = new Tensor?[n * (1 + _states)];
        for (int i = 0; i < n; i++)
        {
            var xT = inputs.Req(2 + i);
            if (!DataTypes.IsFloatingPoint(xT.DataType)) throw new NotSupportedException($"{_name}: X must be floating point.");
            var x = MiscTensors.ToDoubles(xT);
            var g = MiscTensors.ToDoubles(SameShape(inputs.Req(2 + n + i), xT, "G"));
            var states = new double[_states][];
            var stateTensors = new Tensor[_states];
            for (int s = 0; s < _states; s++)
            {
                stateTensors[s] = SameShape(inputs.Req(2 + (2 + s) * n + i), xT, "state");
                states[s] = MiscTensors.ToDoubles(stateTensors[s]);
            }
            Step(r, t, x, g, states);
            outputs[i] = MiscTensors.FromDoubles(x, xT.DataType, (int[])xT.Shape.Clone());
            for (int s = 0; s < _states; s++)
                outputs[(1 + s) * n + i] = MiscTensors.FromDoubles(states[s], stateTensors[s].DataType, (int[])xT.Shape.Clone());
        }
        return outputs;
    }

    private Tensor SameShape(Tensor t, Tensor x, string what) =>
        t.Shape.AsSpan().SequenceEqual(x.Shape) ? t
            : throw new ShapeMismatchException($"{_name}: {what} shape {ShapeUtil.Format(t.Shape)} differs from X shape {ShapeUtil.Format(x.Shape)}.");
}
