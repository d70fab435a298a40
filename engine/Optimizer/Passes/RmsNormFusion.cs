using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// The RMS normalization exporters write as primitive ops (LLaMA/T5-style RMSNorm):
/// <code>
/// v = ReduceMean(Pow(x, 2) | Mul(x, x), trailing axes); s = Sqrt(Add(v, eps))
/// n = Div(x, s)  |  Mul(x, Reciprocal(s))  |  Mul(x, Div(1, s));   y = [Mul(n, gamma)]
/// </code>
/// becomes one RMSNormalization(x, gamma; axis, epsilon) (opset 23; <c>ai.nativeinfer</c> below it). Operand orders of
/// the commutative ops are free. Fires only for float32 x whose normalized dims are known, a reduction over trailing
/// axes with keepdims, constant eps, and a constant gamma of the normalized dims (else a ones scale). Intermediates
/// must have no reader outside the pattern (x may have others).
/// </summary>
public sealed class RmsNormFusion : GraphPass
{
    public override string Name => "RmsNormFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses the decomposed RMS normalization (Pow/ReduceMean/Add/Sqrt/Div or Reciprocal/Mul) into RMSNormalization.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        foreach (var mean in ctx.Graph.Nodes.ToList())
        {
            if (!TransformerPatterns.Is(mean, "ReduceMean")) continue;
            if (!TransformerPatterns.Live(ctx, mean)) continue;
            string sqName = mean.Inputs[0];
            if (ctx.Producer(sqName) is not { } square || !TransformerPatterns.Private(ctx, sqName)) continue;
            string x;
            if (TransformerPatterns.Is(square, "Pow") && square.Inputs.Length == 2 && TransformerPatterns.Scalar(ctx, square.Inputs[1]) == 2) x = square.Inputs[0];
            else if (TransformerPatterns.Is(square, "Mul") && square.Inputs.Length == 2 && square.Inputs[0] == square.Inputs[1]) x = square.Inputs[0];
            else continue;
            if (TransformerPatterns.SoleReader(ctx, mean.Outputs[0], "Add") is not { } addEps) continue;
            if (AffineMath.OtherOperand(addEps, mean.Outputs[0]) is not { } epsName || epsName == mean.Outputs[0]
                || TransformerPatterns.Scalar(ctx, epsName) is not { } eps || eps < 0) continue;
            if (TransformerPatterns.SoleReader(ctx, addEps.Outputs[0], "Sqrt") is not { } sqrt || !TransformerPatterns.Private(ctx, sqrt.Outputs[0])) continue;
            var nodes = new List<Node> { square, mean, addEps, sqrt };
            string std = sqrt.Outputs[0];
            var next = ctx.Consumers(std)[0];
            Node normalize;
            if (TransformerPatterns.Is(next, "Div") && next.Inputs.Length == 2 && next.Inputs[1] == std && next.Inputs[0] == x) normalize = next;
            else
            {
                bool reciprocal = TransformerPatterns.Is(next, "Reciprocal")
                    || TransformerPatterns.Is(next, "Div") && next.Inputs.Length == 2 && next.Inputs[1] == std && TransformerPatterns.ScalarNear(ctx, next.Inputs[0], 1);
                if (!reciprocal) continue;
                string inv = next.Outputs[0];
                if (TransformerPatterns.SoleReader(ctx, inv, "Mul") is not { } mul || AffineMath.OtherOperand(mul, inv) != x) continue;
                nodes.Add(next);
                normalize = mul;
            }
            nodes.Add(normalize);

            types ??= ctx.TryInferTypes();
            if (TransformerPatterns.FloatShape(types, x) is not { } shape) continue;
            int rank = shape.Length;
            if (TransformerPatterns.ReduceAxes(ctx, mean, rank) is not { } axes) continue;
            int axis = TransformerPatterns.TrailingStart(axes, rank);
            if (axis < 0 || shape.Skip(axis).Any(dim => !dim.IsKnown)) continue;

            var last = normalize;
            string y = normalize.Outputs[0];
            Tensor<float>? gamma = null;
            if (TransformerPatterns.SoleReader(ctx, y, "Mul") is { } g && AffineMath.OtherOperand(g, y) is { } gName && gName != y
                && TransformerPatterns.RowParameter(ctx, gName, shape, axis) is { } gt)
            {
                gamma = gt;
                nodes.Add(g);
                last = g;
            }
            var normShape = shape.Skip(axis).Select(dim => (int)dim.Value).ToArray();
            if (gamma is null)
            {
                var ones = new float[ShapeUtil.ElementCount(normShape)];
                Array.Fill(ones, 1f);
                gamma = new Tensor<float>(ones, normShape);
            }
            var attrs = new Attributes();
            attrs.Set("axis", TransformerPatterns.IntAttr(axis));
            attrs.Set("epsilon", TransformerPatterns.FloatAttr((float)eps));
            TransformerPatterns.Rewrite(ctx, last, nodes, "RMSNormalization", 23, mean.OpsetVersion,
                [x, ctx.AddConstant(last.Outputs[0] + "_scale", gamma)], attrs,
                $"{string.Join(" + ", nodes.Select(n => n.OpType))} over axes {axis}.. of {x}");
            fused++;
        }
        return fused;
    }
}
