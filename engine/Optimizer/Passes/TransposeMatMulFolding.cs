using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Folds transposes into the products that read them:
/// <list type="bullet">
/// <item>a 2-D Transpose feeding Gemm's A or B is dropped and transA / transB flipped;</item>
/// <item>MatMul of two 2-D float32 operands, one of them a 2-D Transpose, becomes Gemm with transA / transB set
/// (opset 11 and later, where Gemm's C is optional);</item>
/// <item>Transpose of a Transpose becomes one Transpose with the composed perm, or nothing when that is the
/// identity.</item>
/// </list>
/// The inner Transpose stays while others read it (DeadNodeElimination removes it otherwise).
/// </summary>
public sealed class TransposeMatMulFolding : GraphPass
{
    public override string Name => "TransposeMatMulFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Folds 2-D Transposes into Gemm/MatMul (as Gemm transA/transB) and composes consecutive Transposes.";

    public override int Run(PassContext ctx)
    {
        int folded = 0;
        Dictionary<string, TypeInfo>? types = null;
        bool inferred = false;
        Dictionary<string, TypeInfo>? Types()
        {
            if (!inferred) types = ctx.TryInferTypes();
            inferred = true;
            return types;
        }
        foreach (var node in ctx.Graph.Nodes.ToList())
        {
            if (!AffineMath.IsDefaultDomain(node) || node.Outputs.Length != 1 || node.Inputs.Length == 0) continue;
            bool fired = node.OpType switch
            {
                "Transpose" => ComposeTransposes(ctx, node, Types),
                "Gemm" => FoldIntoGemm(ctx, node),
                "MatMul" => MatMulToGemm(ctx, node, Types),
                _ => false,
            };
            if (fired) folded++;
        }
        return folded;
    }

    /// <summary>The input of a Transpose (default domain) that swaps the two axes of a 2-D value, or null.</summary>
    private static string? Transposed2D(PassContext ctx, string value, bool rankIsTwo)
    {
        if (value.Length == 0 || ctx.Producer(value) is not { OpType: "Transpose" } t || !AffineMath.IsDefaultDomain(t)) return null;
        if (t.Inputs.Length != 1 || t.Outputs.Length != 1 || t.Inputs[0].Length == 0) return null;
        var perm = t.Attributes.Ints("perm");
        bool swap = perm is null ? rankIsTwo : perm is [1, 0];
        return swap ? t.Inputs[0] : null;
    }

    private static bool FoldIntoGemm(PassContext ctx, Node gemm)
    {
        if (gemm.Inputs.Length < 2) return false;
        // Gemm's A and B are 2-D by definition, so a Transpose with the default perm feeding them swaps two axes.
        string? a = Transposed2D(ctx, gemm.Inputs[0], rankIsTwo: true), b = Transposed2D(ctx, gemm.Inputs[1], rankIsTwo: true);
        if (a is null && b is null) return false;
        var attrs = new Attributes(gemm.Attributes.All.ToDictionary(kv => kv.Key, kv => kv.Value));
        var inputs = (string[])gemm.Inputs.Clone();
        if (a is not null)
        {
            inputs[0] = a;
            attrs.Set("transA", new AttributeValue(AttributeKind.Int, 1L - (gemm.Attributes.Int("transA", 0) != 0 ? 1 : 0)));
        }
        if (b is not null)
        {
            inputs[1] = b;
            attrs.Set("transB", new AttributeValue(AttributeKind.Int, 1L - (gemm.Attributes.Int("transB", 0) != 0 ? 1 : 0)));
        }
        Replace(ctx, gemm, "Gemm", inputs, attrs, gemm.OpsetVersion);
        ctx.Record($"{gemm.DisplayName} (Gemm) absorbs the Transpose of {(a is not null ? "A" : "")}{(a is not null && b is not null ? " and " : "")}{(b is not null ? "B" : "")}");
        return true;
    }

    private static bool MatMulToGemm(PassContext ctx, Node mm, Func<Dictionary<string, TypeInfo>?> types)
    {
        if (mm.Inputs.Length != 2 || mm.OpsetVersion < 11) return false;
        if (ctx.Producer(mm.Inputs[0])?.OpType != "Transpose" && ctx.Producer(mm.Inputs[1])?.OpType != "Transpose") return false;
        var t = types();
        if (GraphRewrites.Typed(t, mm.Inputs[0]) is not { ElementType: DataType.Float, Shape.Length: 2 }
            || GraphRewrites.Typed(t, mm.Inputs[1]) is not { ElementType: DataType.Float, Shape.Length: 2 }) return false;
        string? a = Transposed2D(ctx, mm.Inputs[0], rankIsTwo: true), b = Transposed2D(ctx, mm.Inputs[1], rankIsTwo: true);
        if (a is null && b is null) return false;
        var attrs = new Attributes();
        if (a is not null) attrs.Set("transA", new AttributeValue(AttributeKind.Int, 1L));
        if (b is not null) attrs.Set("transB", new AttributeValue(AttributeKind.Int, 1L));
        Replace(ctx, mm, "Gemm", [a ?? mm.Inputs[0], b ?? mm.Inputs[1]], attrs, mm.OpsetVersion);
        ctx.Record($"{mm.DisplayName} (MatMul) → Gemm with the Transpose of {(a is not null ? "A" : "")}{(a is not null && b is not null ? " and " : "")}{(b is not null ? "B" : "")}");
        return true;
    }

    private static bool ComposeTransposes(PassContext ctx, Node outer, Func<Dictionary<string, TypeInfo>?> types)
    {
        if (outer.Inputs.Length != 1 || ctx.Producer(outer.Inputs[0]) is not { OpType: "Transpose" } inner) return false;
        if (!AffineMath.IsDefaultDomain(inner) || inner.Inputs.Length != 1 || inner.Outputs.Length != 1 || inner.Inputs[0].Length == 0) return false;
        string x = inner.Inputs[0];
        int? rank = null;
        if (outer.Attributes.Ints("perm") is null || inner.Attributes.Ints("perm") is null)
            rank = GraphRewrites.Typed(types(), x)?.Shape!.Length;
        rank ??= (inner.Attributes.Ints("perm") ?? outer.Attributes.Ints("perm"))?.Length;
        if (GraphRewrites.Perm(inner, rank) is not { } p1 || GraphRewrites.Perm(outer, rank) is not { } p2 || p1.Length != p2.Length) return false;
        // y[i] = t[p2[i]] = x[p1[p2[i]]].
        var composed = p2.Select(i => p1[i]).ToArray();
        if (composed.Select((p, i) => p == i).All(b => b))
        {
            if (!GraphRewrites.Bypass(ctx, outer, x, outer.Outputs[0])) return false;
            ctx.Record($"{inner.DisplayName} + {outer.DisplayName} (Transpose pair) cancel");
            return true;
        }
        var attrs = new Attributes(outer.Attributes.All.ToDictionary(kv => kv.Key, kv => kv.Value));
        attrs.Set("perm", new AttributeValue(AttributeKind.Ints, composed.Select(v => (long)v).ToArray()));
        Replace(ctx, outer, "Transpose", [x], attrs, outer.OpsetVersion);
        ctx.Record($"{inner.DisplayName} + {outer.DisplayName} (Transpose pair) → one Transpose [{string.Join(",", composed)}]");
        return true;
    }

    private static void Replace(PassContext ctx, Node at, string opType, string[] inputs, Attributes attrs, int opset)
    {
        var node = new Node
        {
            Name = at.Name,
            OpType = opType,
            Domain = at.Domain,
            Inputs = inputs,
            Outputs = at.Outputs,
            Attributes = attrs,
            OpsetVersion = opset,
        };
        ctx.ReplaceNode(at, node);
    }
}
