using NativeInfer.IR;
using NativeInfer.Session;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// SiLU as exporters write it, <c>Mul(x, Sigmoid(x))</c> (either order), and the scaled Swish
/// <c>Mul(x, Sigmoid(Mul(x, alpha)))</c> with a one-element constant alpha, become one Swish (alpha; 1 = SiLU) (opset 24,
/// <c>ai.nativeinfer</c> below it). Not HardSwish (a different function, fused by nothing here). The Sigmoid's output
/// (and the scaling product) must have no other reader.
/// </summary>
public sealed class SiluFusion : GraphPass
{
    public override string Name => "SiluFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses x * Sigmoid(x) (SiLU) and x * Sigmoid(alpha * x) into Swish.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        foreach (var sigmoid in ctx.Graph.Nodes.ToList())
        {
            if (!TransformerPatterns.Is(sigmoid, "Sigmoid") || !TransformerPatterns.Live(ctx, sigmoid)) continue;
            string a = sigmoid.Inputs[0], s = sigmoid.Outputs[0];
            if (TransformerPatterns.SoleReader(ctx, s, "Mul") is not { } mul || AffineMath.OtherOperand(mul, s) is not { } x || x == s) continue;
            var nodes = new List<Node> { sigmoid, mul };
            double alpha = 1;
            if (a != x)
            {
                // Sigmoid(alpha · x)
                if (ctx.Producer(a) is not { } scale || !TransformerPatterns.Is(scale, "Mul") || !TransformerPatterns.Private(ctx, a)
                    || AffineMath.OtherOperand(scale, x) is not { } c || c == x || TransformerPatterns.Scalar(ctx, c) is not { } v
                    || (float)v != v) continue;   // the attribute is a float: take only values it holds exactly
                alpha = v;
                nodes.Insert(0, scale);
            }
            var attrs = new Attributes();
            if (alpha != 1) attrs.Set("alpha", TransformerPatterns.FloatAttr((float)alpha));
            TransformerPatterns.Rewrite(ctx, mul, nodes, "Swish", 24, sigmoid.OpsetVersion, [x], attrs,
                $"{string.Join(" + ", nodes.Select(n => n.OpType))} of {x}" + (alpha != 1 ? $" (alpha {alpha})" : ""));
            fused++;
        }
        return fused;
    }
}
