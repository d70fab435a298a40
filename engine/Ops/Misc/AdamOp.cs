namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.preview.training Adam (opset 1): with g = norm_coefficient·X + G: V' = alpha·V + (1−alpha)·g;
/// H' = beta·H + (1−beta)·g²; r = R·√(1−beta^T)/(1−alpha^T) when T &gt; 0 else R;
/// X' = (1 − norm_coefficient_post)·(X − r·V' / (√H' + epsilon)). Outputs X', V', H'.
/// </summary>
internal sealed class AdamOp : TrainingOptimizer
{
    private readonly double _alpha, _beta, _epsilon, _norm, _normPost;

    public AdamOp(OpBuildContext ctx) : base("Adam", 2)
    {
        var a = ctx.Attributes;
        _alpha = a.Float("alpha", 0.9f);
        _beta = a.Float("beta", 0.999f);
        _epsilon = a.Float("epsilon", 1e-6f);
        _norm = a.Float("norm_coefficient", 0f);
        _normPost = a.Float("norm_coefficient_post", 0f);
    }

    protected override void Step(double r, long t, double[] x, double[] g, double[][] states)
    {
        var v = states[0];
        var h = states[1];
        double rate = t > 0 ? r * Math.Sqrt(1 - Math.Pow(_beta, t)) / (1 - Math.Pow(_alpha, t)) : r;
        for (int i = 0; i < x.Length; i++)
        {
            double grad = _norm * x[i] + g[i];
            v[i] = _alpha * v[i] + (1 - _alpha) * grad;
            h[i] = _beta * h[i] + (1 - _beta) * grad * grad;
            x[i] = (1 - _normPost) * (x[i] - rate * v[i] / (Math.Sqrt(h[i]) + _epsilon));
        }
    }
}
