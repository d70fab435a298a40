using NativeInfer.IR;
using NativeInfer.Session;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// GELU as exporters write it, in primitive ops:
/// <list type="bullet">
/// <item>exact: <c>x · 0.5 · (1 + Erf(x / √2))</c>, the division also as <c>Mul(x, 1/√2)</c>;</item>
/// <item>tanh approximation: <c>0.5 · x · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))</c>, the cube as <c>Pow(x, 3)</c>
/// or <c>x · x · x</c>;</item>
/// </list>
/// with every operand order of the commutative ops and every association of the final three-factor product, becomes
/// one Gelu (approximate 'none' / 'tanh'; opset 20, <c>ai.nativeinfer</c> below it). Constants must be one-element and
/// within a relative 1e-4 of their exact values; intermediates must have no reader outside the pattern.
/// </summary>
public sealed class GeluFusion : GraphPass
{
    private static readonly double Sqrt2 = Math.Sqrt(2);
    private static readonly double Sqrt2OverPi = Math.Sqrt(2 / Math.PI);

    public override string Name => "GeluFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses GELU written with Erf (exact) or Tanh (approximation) into Gelu.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        foreach (var node in ctx.Graph.Nodes.ToList())
        {
            bool erf = TransformerPatterns.Is(node, "Erf");
            if (!erf && !TransformerPatterns.Is(node, "Tanh") || !TransformerPatterns.Live(ctx, node)) continue;
            var match = erf ? MatchErf(ctx, node) : MatchTanh(ctx, node);
            if (match is not var (x, front)) continue;
            if (TransformerPatterns.SoleReader(ctx, node.Outputs[0], "Add") is not { } plusOne
                || !TransformerPatterns.OtherIsScalar(ctx, plusOne, node.Outputs[0], 1)) continue;
            if (TransformerPatterns.HalfProduct(ctx, x, plusOne.Outputs[0]) is not { } product) continue;
            var nodes = front.Append(node).Append(plusOne).Concat(product).ToList();
            var attrs = new Attributes();
            attrs.Set("approximate", TransformerPatterns.StringAttr(erf ? "none" : "tanh"));
            TransformerPatterns.Rewrite(ctx, product[^1], nodes, "Gelu", 20, node.OpsetVersion, [x], attrs,
                $"{string.Join(" + ", nodes.Select(n => n.OpType))} of {x}");
            fused++;
        }
        return fused;
    }

    /// <summary>Erf's input as x / √2 or x · (1/√2): x and the producing node.</summary>
    private static (string X, List<Node> Front)? MatchErf(PassContext ctx, Node erf)
    {
        string a = erf.Inputs[0];
        if (ctx.Producer(a) is not { } p || !TransformerPatterns.Private(ctx, a) || p.Inputs.Length != 2) return null;
        if (TransformerPatterns.Is(p, "Div") && TransformerPatterns.ScalarNear(ctx, p.Inputs[1], Sqrt2) && p.Inputs[0] != p.Inputs[1])
            return (p.Inputs[0], [p]);
        if (TransformerPatterns.Is(p, "Mul"))
        {
            for (int i = 0; i < 2; i++)
                if (TransformerPatterns.ScalarNear(ctx, p.Inputs[1 - i], 1 / Sqrt2) && p.Inputs[i] != p.Inputs[1 - i])
                    return (p.Inputs[i], [p]);
        }
        return null;
    }

    /// <summary>Tanh's input as √(2/π) · (x + 0.044715 · x³): x and the producing nodes.</summary>
    private static (string X, List<Node> Front)? MatchTanh(PassContext ctx, Node tanh)
    {
        string s = tanh.Inputs[0];
        if (ctx.Producer(s) is not { } scale || !TransformerPatterns.Is(scale, "Mul") || !TransformerPatterns.Private(ctx, s)
            || scale.Inputs.Length != 2) return null;
        string? r = null;
        for (int i = 0; i < 2; i++)
            if (TransformerPatterns.ScalarNear(ctx, scale.Inputs[1 - i], Sqrt2OverPi)) r = scale.Inputs[i];
        if (r is null || ctx.Producer(r) is not { } sum || !TransformerPatterns.Is(sum, "Add") || !TransformerPatterns.Private(ctx, r)
            || sum.Inputs.Length != 2) return null;
        for (int i = 0; i < 2; i++)
        {
            string x = sum.Inputs[i], q = sum.Inputs[1 - i];
            if (ctx.Producer(q) is not { } qn || !TransformerPatterns.Is(qn, "Mul") || !TransformerPatterns.Private(ctx, q) || qn.Inputs.Length != 2) continue;
            for (int j = 0; j < 2; j++)
            {
                if (!TransformerPatterns.ScalarNear(ctx, qn.Inputs[1 - j], 0.044715)) continue;
                if (Cube(ctx, qn.Inputs[j], x) is { } cube) return (x, [.. cube, qn, sum, scale]);
            }
        }
        return null;
    }

    /// <summary>The nodes computing <paramref name="c"/> = x³ (Pow(x, 3), or x·(x·x) in either order), or null.</summary>
    private static List<Node>? Cube(PassContext ctx, string c, string x)
    {
        if (ctx.Producer(c) is not { } p || !TransformerPatterns.Private(ctx, c) || p.Inputs.Length != 2) return null;
        if (TransformerPatterns.Is(p, "Pow")) return p.Inputs[0] == x && TransformerPatterns.Scalar(ctx, p.Inputs[1]) == 3 ? [p] : null;
        if (!TransformerPatterns.Is(p, "Mul")) return null;
        for (int i = 0; i < 2; i++)
        {
            if (p.Inputs[i] != x) continue;
            string sq = p.Inputs[1 - i];
            if (ctx.Producer(sq) is { } s && TransformerPatterns.Is(s, "Mul") && s.Inputs.Length == 2 && s.Inputs[0] == x && s.Inputs[1] == x
                && TransformerPatterns.Private(ctx, sq))
                return [s, p];
        }
        return null;
    }
}
