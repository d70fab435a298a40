namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.preview.training Adagrad (opset 1): with r = R / (1 + T·decay_factor) and g = norm_coefficient·X + G:
/// H' = H + g²; X' = X − r·g / (√H' + epsilon). Outputs X' then H'.
/// </summary>
internal sealed class AdagradOp : TrainingOptimizer
{
    private readonly double _decay, _epsilon, _norm;

    public AdagradOp(OpBuildContext ctx) : base("Adagrad", 1)
    {
        var a = ctx.Attributes;
        _decay = a.Float("decay_factor", 0f);
        _epsilon = a.Float("epsilon", 0f);
        _norm = a.Float("norm_coefficient", 0f);
    }

    protected override void Step(double r, long t, double[] x, double[] g, double[][] states)
    {
        var h = states[0];
        double rate = r / (1 + t * _decay);
        for (int i = 0; i < x.Length; i++)
        {
            double grad = _norm * x[i] + g[i];
            h[i] += grad * grad;
            x[i] -= rate * grad / (Math.Sqrt(h[i]) + _epsilon);
        }
    }
}
