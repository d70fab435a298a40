using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Ops.Fused;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Gemm or MatMul (A of rank ≥ 2, B 2-D) followed by any of: a bias Add, a residual Add (or two-input Sum) of a
/// same-shape tensor, and last an activation, becomes one <c>ai.nativeinfer:FusedGemm</c> whose SGEMM epilogue adds
/// the bias and the residual and applies the activation to each output tile while it is in cache. A FusedGemm without
/// an activation takes further parts the same way (so fusions found in later rounds still join).
/// <para>
/// Activations: Relu, LeakyRelu, Clip (constant bounds), HardSigmoid, Sigmoid, Tanh, Gelu (opset 20, both forms),
/// Swish with alpha 1 and the SiLU pattern x·Sigmoid(x). float32 only. A bias is an Add operand of rank ≤ 2 that
/// broadcasts to the output without growing it ([N], [1, N], a scalar, and for a 2-D output also [M, 1] and
/// [M, N]); it becomes C when the product has none. Each value taken in must have the chain as its only reader.
/// </para>
/// </summary>
public sealed class GemmActivationFusion : GraphPass
{
    public override string Name => "GemmActivationFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses Gemm/MatMul with a following bias Add, residual Add and/or activation into ai.nativeinfer:FusedGemm.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        bool inferred = false;
        foreach (var p in ctx.Graph.Nodes.ToList())
        {
            bool isGemm = p.OpType == "Gemm" && AffineMath.IsDefaultDomain(p) && p.OpsetVersion >= 7;
            bool isMatMul = p.OpType == "MatMul" && AffineMath.IsDefaultDomain(p);
            bool isFused = p.OpType == FusedGemm.OpType && p.Domain == FusedGemm.Domain;
            if (!(isGemm || isMatMul || isFused) || p.Outputs.Length != 1 || p.Inputs.Length < 2 || p.Inputs.Length > 4) continue;
            if (isMatMul && p.Inputs.Length != 2 || isGemm && p.Inputs.Length > 3) continue;
            if (isFused && p.Attributes.String("activation", "") != "") continue;
            if (!ctx.HasSingleConsumer(p.Outputs[0]) && !(ctx.Consumers(p.Outputs[0]).Count == 2 && !ctx.IsGraphOutput(p.Outputs[0]))) continue;
            if (!inferred)
            {
                types = ctx.TryInferTypes();
                inferred = true;
            }
            if (GraphRewrites.Typed(types, p.Outputs[0]) is not { ElementType: DataType.Float, Shape: { Length: >= 2 } outShape }) continue;
            if (GraphRewrites.Typed(types, p.Inputs[0]) is not { ElementType: DataType.Float, Shape.Length: >= 2 }
                || GraphRewrites.Typed(types, p.Inputs[1]) is not { ElementType: DataType.Float, Shape.Length: 2 }) continue;
            if (isGemm && outShape.Length != 2) continue;

            string c = p.Inputs.Length > 2 ? p.Inputs[2] : "", r = p.Inputs.Length > 3 ? p.Inputs[3] : "";
            bool addedC = false;
            SgemmActivation? activation = null;
            var absorbed = new List<Node>();
            string cur = p.Outputs[0];
            while (activation is null)
            {
                IReadOnlyList<Node> readers = ctx.IsGraphOutput(cur) ? Array.Empty<Node>() : ctx.Consumers(cur);
                if (readers.Count == 2 && Silu(ctx, readers, cur) is { } silu)
                {
                    activation = SgemmActivation.Silu;
                    absorbed.AddRange(silu);
                    cur = silu[1].Outputs[0];
                    break;
                }
                if (readers.Count != 1) break;
                var next = readers[0];
                // Gelu and Swish also come as ai.nativeinfer ops (GeluFusion / SiluFusion below their standard opsets).
                bool nativeActivation = next.Domain == FusedGemm.Domain && next.OpType is "Gelu" or "Swish";
                if (!(AffineMath.IsDefaultDomain(next) || nativeActivation) || next.Outputs.Length != 1) break;
                if (next.OpType == "Add" || next.OpType == "Sum" && next.Inputs.Length == 2)
                {
                    if (AffineMath.OtherOperand(next, cur) is not { } other || other == cur) break;
                    if (GraphRewrites.Typed(types, other) is not { ElementType: DataType.Float, Shape: { } os }) break;
                    if (r.Length == 0 && !ctx.IsConstant(other) && SameShape(os, outShape)) r = other;
                    else if (c.Length == 0 && next.OpType == "Add" && IsBias(os, outShape))
                    {
                        c = other;
                        addedC = true;
                    }
                    else break;
                    absorbed.Add(next);
                    cur = next.Outputs[0];
                    continue;
                }
                if (Activation(ctx, next, cur) is not { } act) break;
                activation = act;
                absorbed.Add(next);
                cur = next.Outputs[0];
            }
            if (absorbed.Count == 0) continue;
            // The product's own output must be read by the chain alone (the SiLU pattern reads it twice).
            if (ctx.Consumers(p.Outputs[0]).Any(n => !absorbed.Contains(n))) continue;

            var attrs = isMatMul ? new Attributes() : new Attributes(p.Attributes.All.ToDictionary(kv => kv.Key, kv => kv.Value));
            if (addedC) attrs.Set("beta", new AttributeValue(AttributeKind.Float, 1f));
            if (activation is { } a)
            {
                attrs.Set("activation", new AttributeValue(AttributeKind.String, a.Kind.ToString()));
                if (a.Kind is SgemmActivationKind.LeakyRelu or SgemmActivationKind.Clip or SgemmActivationKind.HardSigmoid)
                    attrs.Set("activation_params", new AttributeValue(AttributeKind.Floats, new[] { a.Alpha, a.Beta }));
            }
            string[] inputs = r.Length > 0 ? [p.Inputs[0], p.Inputs[1], c, r] : c.Length > 0 ? [p.Inputs[0], p.Inputs[1], c] : [p.Inputs[0], p.Inputs[1]];
            var node = new Node
            {
                Name = p.Name,
                OpType = FusedGemm.OpType,
                Domain = FusedGemm.Domain,
                Inputs = inputs,
                Outputs = [cur],
                Attributes = attrs,
                OpsetVersion = 1,
            };
            ctx.ReplaceNode(p, node);
            foreach (var n in absorbed) ctx.RemoveNode(n);
            ctx.Record($"{p.DisplayName} ({p.OpType}) + " + string.Join(" + ", absorbed.Select(n => $"{n.DisplayName} ({n.OpType})")));
            fused++;
        }
        return fused;
    }

    /// <summary>[Sigmoid(x), Mul(x, Sigmoid(x))] when the two readers of x form x·Sigmoid(x), else null.</summary>
    private static Node[]? Silu(PassContext ctx, IReadOnlyList<Node> readers, string x)
    {
        var sig = readers.FirstOrDefault(n => n.OpType == "Sigmoid" && AffineMath.IsDefaultDomain(n) && n.Inputs.Length == 1 && n.Inputs[0] == x && n.Outputs.Length == 1);
        var mul = readers.FirstOrDefault(n => n.OpType == "Mul" && AffineMath.IsDefaultDomain(n) && n.Outputs.Length == 1);
        if (sig is null || mul is null || !ctx.HasSingleConsumer(sig.Outputs[0])) return null;
        return AffineMath.OtherOperand(mul, x) == sig.Outputs[0] ? [sig, mul] : null;
    }

    private static SgemmActivation? Activation(PassContext ctx, Node n, string input)
    {
        if (n.Inputs.Length == 0 || n.Inputs[0] != input) return null;
        var a = n.Attributes;
        switch (n.OpType)
        {
            case "Relu": return SgemmActivation.Relu;
            case "Sigmoid": return SgemmActivation.Sigmoid;
            case "Tanh": return SgemmActivation.Tanh;
            case "LeakyRelu": return SgemmActivation.LeakyRelu(a.Float("alpha", 0.01f));
            case "HardSigmoid": return SgemmActivation.HardSigmoid(a.Float("alpha", 0.2f), a.Float("beta", 0.5f));
            case "Gelu":
                return a.String("approximate", "none") switch
                {
                    "none" => SgemmActivation.Gelu(),
                    "tanh" => SgemmActivation.Gelu(tanhApproximation: true),
                    _ => null,
                };
            case "Swish":
                return a.Float("alpha", 1f) == 1f ? SgemmActivation.Silu : null;
            case "Clip":
                return ClipBounds.TryRead(ctx, n, out float lo, out float hi) ? SgemmActivation.Clip(lo, hi) : null;
            default: return null;
        }
    }

    /// <summary>Dims equal one by one: the same known size or the same symbol.</summary>
    private static bool SameShape(Dim[] a, Dim[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.IsKnown ? p.Second.IsKnown && p.First.Value == p.Second.Value
            : p.First.Symbol is not null && p.First.Symbol == p.Second.Symbol);

    /// <summary>
    /// True when an operand of shape <paramref name="c"/> can be FusedGemm's C for an output of shape
    /// <paramref name="y"/>: rank ≤ 2, broadcasting to y without growing it, and for an N-D output constant along the
    /// flattened rows ([N], [1, N] or a scalar).
    /// </summary>
    private static bool IsBias(Dim[] c, Dim[] y)
    {
        if (c.Length > 2 || !MatMulAddToGemm.BroadcastsTo(c, y)) return false;
        return y.Length == 2 || c.Length < 2 || c[0].Value == 1;
    }
}
