namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.preview.training Momentum (opset 1): with g = norm_coefficient·X + G and b = beta (or 1 on the first update,
/// T = 0): V' = alpha·V + b·g; X' = X − R·V' (standard) or X − R·(g + alpha·V') (nesterov). Outputs X' then V'.
/// </summary>
internal sealed class MomentumOp : TrainingOptimizer
{
    private readonly double _alpha, _beta, _norm;
    private readonly bool _nesterov;

    public MomentumOp(OpBuildContext ctx) : base("Momentum", 1)
    {
        var a = ctx.Attributes;
        _alpha = a.Float("alpha");
        _beta = a.Float("beta");
        _norm = a.Float("norm_coefficient");
        _nesterov = MiscTensors.Choice("Momentum", "mode", a.String("mode"), "standard", "nesterov") == 1;
    }

    protected override void Step(double r, long t, double[] x, double[] g, double[][] states)
    {
        var v = states[0];
        double b = t > 0 ? _beta : 1;
        for (int i = 0; i < x.Length; i++)
        {
            double grad = _norm * x[i] + g[i];
            v[i] = _alpha * v[i] + b * grad;
            x[i] -= r * (_nesterov ? grad + _alpha * v[i] : v[i]);
        }
    }
}
