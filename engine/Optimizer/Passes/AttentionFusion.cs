using NativeInfer.IR;
using NativeInfer.Ops.Fused;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Scaled dot-product attention as exporters write it:
/// <code>
/// s = MatMul(Q, Kᵀ) [→ Mul(·, c) | Div(·, c)] [→ Add(·, mask)] → Softmax(last axis) → MatMul(·, V)
/// </code>
/// becomes one <c>ai.nativeinfer:FusedAttention</c> (<see cref="FusedAttention"/>), whose kernel never materializes
/// more than a row block of scores. Kᵀ is either a Transpose swapping the last two axes of K (absorbed: the kernel reads
/// K [..., Skv, D]) or any [..., D, Skv] value (<c>k_transposed</c> = 1). Fires only when the scale is a one-element
/// constant, Q, K, V and the scores are float32 of one rank ≥ 2 with provably equal leading dims (MatMul's batch
/// broadcasting is not taken), the mask is float32 and broadcasts to the scores without widening them, the Softmax
/// runs over the last axis (opset &lt; 13: axis = rank − 1), and every intermediate has no reader outside the pattern.
/// </summary>
public sealed class AttentionFusion : GraphPass
{
    public override string Name => "AttentionFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses MatMul(Q, Kᵀ) [· scale] [+ mask] → Softmax → MatMul(·, V) into ai.nativeinfer:FusedAttention.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        foreach (var softmax in ctx.Graph.Nodes.ToList())
        {
            if (!TransformerPatterns.Is(softmax, "Softmax") || !TransformerPatterns.Live(ctx, softmax)) continue;
            string probs = softmax.Outputs[0];
            if (TransformerPatterns.SoleReader(ctx, probs, "MatMul") is not { } mm2 || mm2.Inputs.Length != 2 || mm2.Inputs[0] != probs || mm2.Inputs[1] == probs) continue;
            var nodes = new List<Node> { softmax, mm2 };
            string v = mm2.Inputs[1];

            // Backwards from the softmax input: [Add mask] [scale] MatMul.
            string cur = softmax.Inputs[0];
            string? mask = null;
            float scale = 1;
            if (!TransformerPatterns.Private(ctx, cur) || ctx.Producer(cur) is not { } p) continue;
            if (TransformerPatterns.Is(p, "Add") && p.Inputs.Length == 2)
            {
                int scoresSide = Array.FindIndex(p.Inputs, i => ctx.Producer(i) is { } q && IsScoresNode(ctx, q));
                if (scoresSide < 0 || p.Inputs[0] == p.Inputs[1]) continue;
                mask = p.Inputs[1 - scoresSide];
                nodes.Add(p);
                cur = p.Inputs[scoresSide];
                if (!TransformerPatterns.Private(ctx, cur)) continue;
                p = ctx.Producer(cur)!;
            }
            if ((TransformerPatterns.Is(p, "Mul") || TransformerPatterns.Is(p, "Div")) && p.Inputs.Length == 2)
            {
                bool div = p.OpType == "Div";
                int side = div ? 0 : Array.FindIndex(p.Inputs, i => ctx.Producer(i) is { } q && TransformerPatterns.Is(q, "MatMul"));
                if (side < 0 || TransformerPatterns.Scalar(ctx, p.Inputs[1 - side]) is not { } c || c == 0 || !double.IsFinite(c)) continue;
                if (ctx.Constant(p.Inputs[1 - side])!.DataType != DataType.Float) continue;
                scale = div ? 1f / (float)c : (float)c;
                nodes.Add(p);
                cur = p.Inputs[side];
                if (!TransformerPatterns.Private(ctx, cur)) continue;
                p = ctx.Producer(cur)!;
            }
            if (!TransformerPatterns.Is(p, "MatMul") || p.Inputs.Length != 2) continue;
            var mm1 = p;
            nodes.Add(mm1);
            string q = mm1.Inputs[0], kt = mm1.Inputs[1], k = kt;
            bool kTransposed = true;

            types ??= ctx.TryInferTypes();
            if (TransformerPatterns.FloatShape(types, q) is not { Length: >= 2 } qs) continue;
            int rank = qs.Length;
            if (ctx.Producer(kt) is { } tr && TransformerPatterns.Is(tr, "Transpose") && TransformerPatterns.Private(ctx, kt)
                && SwapsLastTwo(tr.Attributes.Ints("perm"), rank))
            {
                k = tr.Inputs[0];
                kTransposed = false;
                nodes.Add(tr);
            }
            if (TransformerPatterns.FloatShape(types, k) is not { } ks || TransformerPatterns.FloatShape(types, v) is not { } vs
                || TransformerPatterns.FloatShape(types, mm1.Outputs[0]) is not { } ss || ks.Length != rank || vs.Length != rank || ss.Length != rank) continue;
            if (!Enumerable.Range(0, rank - 2).All(d => SameDim(qs[d], ks[d]) && SameDim(qs[d], vs[d]))) continue;
            if (!SoftmaxOnLastAxis(softmax, rank)) continue;
            if (mask is not null)
            {
                if (TransformerPatterns.FloatShape(types, mask) is not { } ms || ms.Length > rank) continue;
                bool fits = true;
                for (int d = 0; d < ms.Length; d++)
                {
                    var md = ms[d];
                    var sd = ss[rank - ms.Length + d];
                    if (!(md.IsKnown && md.Value == 1) && !SameDim(md, sd)) fits = false;
                }
                if (!fits) continue;
            }

            var attrs = new Attributes();
            attrs.Set("scale", TransformerPatterns.FloatAttr(scale));
            attrs.Set("k_transposed", TransformerPatterns.IntAttr(kTransposed ? 1 : 0));
            string[] inputs = mask is null ? [q, k, v] : [q, k, v, mask];
            TransformerPatterns.Rewrite(ctx, mm2, nodes, FusedAttention.OpType, int.MaxValue, 0, inputs, attrs,
                $"{string.Join(" + ", nodes.AsEnumerable().Reverse().Select(n => n.OpType))} (scale {scale}{(mask is null ? "" : ", mask " + mask)})");
            fused++;
        }
        return fused;
    }

    /// <summary>
    /// The node before the mask Add: the Q·Kᵀ MatMul itself, or a Mul/Div by a constant of that MatMul's output (a mask
    /// computed as (1 − m) · −10000 is a Mul by a constant too, but not of a MatMul).
    /// </summary>
    private static bool IsScoresNode(PassContext ctx, Node n)
    {
        if (TransformerPatterns.Is(n, "MatMul")) return true;
        if (n.Inputs.Length != 2) return false;
        bool FromMatMul(string v) => ctx.Producer(v) is { } p && TransformerPatterns.Is(p, "MatMul");
        if (TransformerPatterns.Is(n, "Div")) return TransformerPatterns.Scalar(ctx, n.Inputs[1]) is not null && FromMatMul(n.Inputs[0]);
        return TransformerPatterns.Is(n, "Mul")
            && (TransformerPatterns.Scalar(ctx, n.Inputs[1]) is not null && FromMatMul(n.Inputs[0])
                || TransformerPatterns.Scalar(ctx, n.Inputs[0]) is not null && FromMatMul(n.Inputs[1]));
    }

    private static bool SwapsLastTwo(long[]? perm, int rank)
    {
        if (perm is null || perm.Length != rank || rank < 2) return false;
        for (int d = 0; d < rank - 2; d++)
            if (perm[d] != d) return false;
        return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
    }

    private static bool SoftmaxOnLastAxis(Node softmax, int rank)
    {
        long axis = softmax.Attributes.Int("axis", softmax.OpsetVersion >= 13 ? -1 : 1);
        if (axis < 0) axis += rank;
        return axis == rank - 1;
    }

    private static bool SameDim(Dim a, Dim b) => a.IsKnown ? b.IsKnown && a.Value == b.Value : a.Symbol is not null && a.Symbol == b.Symbol;
}
