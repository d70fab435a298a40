using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// The layer normalization exporters write as primitive ops (PyTorch below opset 17, Keras/TF converters):
/// <code>
/// m = ReduceMean(x, trailing axes); d = Sub(x, m); v = ReduceMean(Pow(d, 2) | Mul(d, d), same axes)
/// n = Div(d, Sqrt(Add(v, eps)))  |  Mul(d, Reciprocal(Sqrt(Add(v, eps))))
/// y = [Mul(n, gamma)] [Add(·, beta)]
/// </code>
/// becomes one LayerNormalization(x, gamma, beta; axis, epsilon) (opset 17; <c>ai.nativeinfer</c> below it). Operand
/// orders of the commutative ops are free; axes come from the attribute (opset &lt; 18) or the constant input. Fires
/// only for float32 x whose normalized dims are known, both reductions over the same trailing axes with keepdims,
/// constant eps, and constant gamma/beta whose shape is the normalized dims (leading 1s allowed). Every intermediate
/// must have no reader outside the pattern. Without gamma, a ones scale is added.
/// </summary>
public sealed class LayerNormFusion : GraphPass
{
    public override string Name => "LayerNormFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses the decomposed layer normalization (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add) into LayerNormalization.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        foreach (var sub in ctx.Graph.Nodes.ToList())
        {
            if (!TransformerPatterns.Is(sub, "Sub") || sub.Inputs.Length != 2) continue;
            if (!TransformerPatterns.Live(ctx, sub)) continue;
            string x = sub.Inputs[0], mean = sub.Inputs[1], d = sub.Outputs[0];
            if (ctx.Producer(mean) is not { } m1 || !TransformerPatterns.Is(m1, "ReduceMean") || m1.Inputs[0] != x) continue;
            if (!TransformerPatterns.Private(ctx, mean) || ctx.IsGraphOutput(d) || !ctx.OnlyDirectReaders(d)) continue;
            var readers = ctx.Consumers(d);
            if (readers.Count != 2) continue;
            if (Match(ctx, ref types, x, m1, sub, readers) is not { } match) continue;
            var (nodes, axis, epsilon, gamma, beta, last) = match;

            var inputs = new List<string> { x, ctx.AddConstant(last.Outputs[0] + "_scale", gamma) };
            if (beta is not null) inputs.Add(ctx.AddConstant(last.Outputs[0] + "_bias", beta));
            var attrs = new Attributes();
            attrs.Set("axis", TransformerPatterns.IntAttr(axis));
            attrs.Set("epsilon", TransformerPatterns.FloatAttr(epsilon));
            TransformerPatterns.Rewrite(ctx, last, nodes, "LayerNormalization", 17, m1.OpsetVersion, inputs.ToArray(), attrs,
                $"{string.Join(" + ", nodes.Select(n => n.OpType))} over axes {axis}.. of {x}");
            fused++;
        }
        return fused;
    }

    private static (List<Node> Nodes, int Axis, float Epsilon, Tensor<float> Gamma, Tensor<float>? Beta, Node Last)? Match(
        PassContext ctx, ref Dictionary<string, TypeInfo>? types, string x, Node m1, Node sub, IReadOnlyList<Node> readers)
    {
        string d = sub.Outputs[0];
        Node? square = null, normalize = null;
        foreach (var r in readers)
        {
            if (TransformerPatterns.Is(r, "Pow") && r.Inputs.Length == 2 && r.Inputs[0] == d && TransformerPatterns.Scalar(ctx, r.Inputs[1]) == 2) square = r;
            else if (TransformerPatterns.Is(r, "Mul") && r.Inputs.Length == 2 && r.Inputs[0] == d && r.Inputs[1] == d) square = r;
            else normalize = r;
        }
        if (square is null || normalize is null) return null;
        if (TransformerPatterns.SoleReader(ctx, square.Outputs[0], "ReduceMean") is not { } m2 || m2.Inputs[0] != square.Outputs[0]) return null;
        if (TransformerPatterns.SoleReader(ctx, m2.Outputs[0], "Add") is not { } addEps) return null;
        if (AffineMath.OtherOperand(addEps, m2.Outputs[0]) is not { } epsName || TransformerPatterns.Scalar(ctx, epsName) is not { } eps
            || eps < 0 || epsName == m2.Outputs[0]) return null;
        if (TransformerPatterns.SoleReader(ctx, addEps.Outputs[0], "Sqrt") is not { } sqrt) return null;
        var nodes = new List<Node> { m1, sub, square, m2, addEps, sqrt };
        string std = sqrt.Outputs[0];
        if (TransformerPatterns.Is(normalize, "Div"))
        {
            if (normalize.Inputs.Length != 2 || normalize.Inputs[0] != d || normalize.Inputs[1] != std || !TransformerPatterns.Private(ctx, std)) return null;
        }
        else if (TransformerPatterns.Is(normalize, "Mul"))
        {
            if (TransformerPatterns.SoleReader(ctx, std, "Reciprocal") is not { } rec || AffineMath.OtherOperand(normalize, d) != rec.Outputs[0]
                || !TransformerPatterns.Private(ctx, rec.Outputs[0])) return null;
            nodes.Add(rec);
        }
        else return null;
        nodes.Add(normalize);

        // Shapes: the same trailing axes for both reductions, float32 x.
        types ??= ctx.TryInferTypes();
        if (TransformerPatterns.FloatShape(types, x) is not { } shape) return null;
        int rank = shape.Length;
        if (TransformerPatterns.ReduceAxes(ctx, m1, rank) is not { } axes1 || TransformerPatterns.ReduceAxes(ctx, m2, rank) is not { } axes2
            || !axes1.SequenceEqual(axes2)) return null;
        int axis = TransformerPatterns.TrailingStart(axes1, rank);
        if (axis < 0 || shape.Skip(axis).Any(dim => !dim.IsKnown)) return null;

        // Optional gamma (Mul) then beta (Add), constants of the normalized shape.
        var last = normalize;
        Tensor<float>? gamma = null, beta = null;
        string y = last.Outputs[0];
        if (TransformerPatterns.SoleReader(ctx, y, "Mul") is { } mul && AffineMath.OtherOperand(mul, y) is { } g && g != y
            && TransformerPatterns.RowParameter(ctx, g, shape, axis) is { } gt)
        {
            gamma = gt;
            nodes.Add(mul);
            last = mul;
            y = mul.Outputs[0];
        }
        if (TransformerPatterns.SoleReader(ctx, y, "Add") is { } add && AffineMath.OtherOperand(add, y) is { } bName && bName != y
            && TransformerPatterns.RowParameter(ctx, bName, shape, axis) is { } bt)
        {
            beta = bt;
            nodes.Add(add);
            last = add;
        }
        if (gamma is null)
        {
            var ones = new float[ShapeUtil.ElementCount(shape.Skip(axis).Select(dim => (int)dim.Value).ToArray())];
            Array.Fill(ones, 1f);
            gamma = new Tensor<float>(ones, shape.Skip(axis).Select(dim => (int)dim.Value).ToArray());
        }
        return (nodes, axis, (float)eps, gamma, beta, last);
    }
}
