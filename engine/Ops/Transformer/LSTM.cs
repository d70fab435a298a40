using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX LSTM (opsets 1–22), gates i, o, f, c in that order in W/R/B and peepholes P = [Pi, Po, Pf]:
/// i = f(X·Wiᵀ + H·Riᵀ + Pi ⊙ C + b), f likewise (or 1 − i with input_forget), c̃ = g(X·Wcᵀ + H·Rcᵀ + b),
/// C' = f ⊙ C + i ⊙ c̃, o = f(X·Woᵀ + H·Roᵀ + Po ⊙ C' + b), H' = o ⊙ h(C'). Activations f, g, h default to
/// Sigmoid, Tanh, Tanh. Outputs Y, Y_h and Y_c (the last cell state).
/// </summary>
internal sealed class LSTM : RecurrentOp
{
    private readonly bool _inputForget;

    public LSTM(OpBuildContext ctx) : base(ctx, "LSTM", 4, ["Sigmoid", "Tanh", "Tanh"]) =>
        _inputForget = ctx.Attributes.Int("input_forget", 0) != 0;

    protected override bool HasCellState => true;

    protected override double[]? ReadPeepholes(Tensor?[] inputs, int directions)
    {
        if (inputs.Opt(7) is not { } p) return null;
        RequireShape(p, "P", directions, 3 * HiddenSize);
        return FloatBuffers.Read(p);
    }

    protected override void Step(CellWeights w, ReadOnlySpan<double> x, Span<double> h, Span<double> c, Span<double> scratch)
    {
        int n = h.Length;
        var f = w.Activations[0];
        var g = w.Activations[1];
        var act = w.Activations[2];
        var input = scratch[..n];
        var output = scratch.Slice(n, n);
        var forget = scratch.Slice(2 * n, n);
        var cell = scratch.Slice(3 * n, n);
        for (int j = 0; j < n; j++)
        {
            input[j] = f.Apply(w.Clip(w.Input(j, x) + w.Hidden(j, h) + w.Peephole(j) * c[j]));
            forget[j] = _inputForget
                ? 1 - input[j]
                : f.Apply(w.Clip(w.Input(2 * n + j, x) + w.Hidden(2 * n + j, h) + w.Peephole(2 * n + j) * c[j]));
            cell[j] = g.Apply(w.Clip(w.Input(3 * n + j, x) + w.Hidden(3 * n + j, h)));
            output[j] = w.Input(n + j, x) + w.Hidden(n + j, h);
        }
        for (int j = 0; j < n; j++)
        {
            c[j] = forget[j] * c[j] + input[j] * cell[j];
            double o = f.Apply(w.Clip(output[j] + w.Peephole(n + j) * c[j]));
            h[j] = o * act.Apply(c[j]);
        }
    }
}
