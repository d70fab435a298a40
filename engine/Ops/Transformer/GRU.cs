namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX GRU (opsets 1–22), gates z, r, h in that order in W/R/B: z = f(X·Wzᵀ + H·Rzᵀ + b), r likewise,
/// h̃ = g(X·Whᵀ + (r ⊙ H)·Rhᵀ + Rbh + Wbh), or with linear_before_reset g(X·Whᵀ + r ⊙ (H·Rhᵀ + Rbh) + Wbh);
/// H' = (1 − z) ⊙ h̃ + z ⊙ H. Activations f, g default to Sigmoid, Tanh.
/// </summary>
internal sealed class GRU : RecurrentOp
{
    private readonly bool _linearBeforeReset;

    public GRU(OpBuildContext ctx) : base(ctx, "GRU", 3, ["Sigmoid", "Tanh"]) =>
        _linearBeforeReset = ctx.Attributes.Int("linear_before_reset", 0) != 0;

    protected override void Step(CellWeights w, ReadOnlySpan<double> x, Span<double> h, Span<double> c, Span<double> scratch)
    {
        int n = h.Length;
        var f = w.Activations[0];
        var g = w.Activations[1];
        var z = scratch[..n];
        var r = scratch.Slice(n, n);
        var candidate = scratch.Slice(2 * n, n);
        for (int j = 0; j < n; j++)
        {
            z[j] = f.Apply(w.Clip(w.Input(j, x) + w.Hidden(j, h)));
            r[j] = f.Apply(w.Clip(w.Input(n + j, x) + w.Hidden(n + j, h)));
        }
        if (_linearBeforeReset)
        {
            for (int j = 0; j < n; j++)
                candidate[j] = g.Apply(w.Clip(w.Input(2 * n + j, x) + r[j] * w.Hidden(2 * n + j, h)));
        }
        else
        {
            for (int j = 0; j < n; j++) r[j] *= h[j];
            for (int j = 0; j < n; j++)
                candidate[j] = g.Apply(w.Clip(w.Input(2 * n + j, x) + w.Hidden(2 * n + j, r)));
        }
        for (int j = 0; j < n; j++) h[j] = (1 - z[j]) * candidate[j] + z[j] * h[j];
    }
}
