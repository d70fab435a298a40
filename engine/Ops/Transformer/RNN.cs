namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX RNN (opsets 1–22): the simple recurrent layer H_t = f(X_t·Wᵀ + H_{t−1}·Rᵀ + Wb + Rb), f defaulting to Tanh,
/// in forward, reverse or bidirectional direction; outputs Y (all hidden states) and Y_h (the last one).
/// </summary>
internal sealed class RNN(OpBuildContext ctx) : RecurrentOp(ctx, "RNN", 1, ["Tanh"])
{
    protected override void Step(CellWeights w, ReadOnlySpan<double> x, Span<double> h, Span<double> c, Span<double> scratch)
    {
        var f = w.Activations[0];
        for (int j = 0; j < h.Length; j++) scratch[j] = f.Apply(w.Clip(w.Input(j, x) + w.Hidden(j, h)));
        scratch[..h.Length].CopyTo(h);
    }
}
