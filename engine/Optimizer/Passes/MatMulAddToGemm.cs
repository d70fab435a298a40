using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// MatMul(A [M, K], B constant [K, N]) → Add(bias) becomes Gemm(A, B, bias), which packs B once and adds the bias in
/// the GEMM's epilogue; so does a Gemm without C (any alpha, transA, transB) followed by such an Add. Conditions:
/// float32; A has rank 2 (a MatMul with an N-D A is left alone, or to GemmActivationFusion); the product's only
/// reader is the Add; the bias has rank ≤ 2 and broadcasts unidirectionally to [M, N] ([N], [1, N], [M, 1], [M, N] or
/// a scalar), so the Add's output keeps the product's shape. Opset 7 and later (Gemm's broadcasting C).
/// </summary>
public sealed class MatMulAddToGemm : GraphPass
{
    public override string Name => "MatMulAddToGemm";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Turns MatMul(2-D A, constant B) + bias Add (or a Gemm without C + bias Add) into one Gemm with C.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        bool inferred = false;
        foreach (var mm in ctx.Graph.Nodes.ToList())
        {
            bool isMatMul = mm.OpType == "MatMul", isGemm = mm.OpType == "Gemm";
            if (!(isMatMul || isGemm) || !AffineMath.IsDefaultDomain(mm) || mm.Outputs.Length != 1 || mm.OpsetVersion < 7) continue;
            if (isMatMul && (mm.Inputs.Length != 2 || ctx.Constant(mm.Inputs[1]) is not { DataType: DataType.Float, Rank: 2 })) continue;
            if (isGemm && (mm.Inputs.Length < 2 || mm.Inputs.Length > 2 && mm.Inputs[2].Length > 0)) continue;
            string y = mm.Outputs[0];
            if (!ctx.HasSingleConsumer(y)) continue;
            var add = ctx.Consumers(y)[0];
            if (add.OpType != "Add" || !AffineMath.IsDefaultDomain(add) || add.Outputs.Length != 1) continue;
            if (AffineMath.OtherOperand(add, y) is not { } bias || bias == y) continue;
            if (!inferred)
            {
                types = ctx.TryInferTypes();
                inferred = true;
            }
            if (GraphRewrites.Typed(types, y) is not { ElementType: DataType.Float, Shape: { Length: 2 } outShape }) continue;
            if (GraphRewrites.Typed(types, mm.Inputs[0]) is not { ElementType: DataType.Float, Shape.Length: 2 }) continue;
            if (GraphRewrites.Typed(types, bias) is not { ElementType: DataType.Float, Shape: { } biasShape } || !BroadcastsTo(biasShape, outShape)) continue;

            var attrs = isGemm ? new Attributes(mm.Attributes.All.ToDictionary(kv => kv.Key, kv => kv.Value)) : new Attributes();
            attrs.Set("beta", new AttributeValue(AttributeKind.Float, 1f));
            var gemm = new Node
            {
                Name = mm.Name,
                OpType = "Gemm",
                Domain = mm.Domain,
                Inputs = [mm.Inputs[0], mm.Inputs[1], bias],
                Outputs = [add.Outputs[0]],
                Attributes = attrs,
                OpsetVersion = mm.OpsetVersion,
            };
            ctx.ReplaceNode(mm, gemm);
            ctx.RemoveNode(add);
            ctx.Record($"{mm.DisplayName} ({mm.OpType}) + {add.DisplayName} (Add)");
            fused++;
        }
        return fused;
    }

    /// <summary>
    /// True when a value of shape <paramref name="c"/> broadcasts unidirectionally to <paramref name="y"/> [M, N] with
    /// rank ≤ 2: each of its dims is 1 or the matching known dim of y.
    /// </summary>
    internal static bool BroadcastsTo(Dim[] c, Dim[] y)
    {
        if (c.Length > y.Length) return false;
        for (int i = 1; i <= c.Length; i++)
        {
            Dim cd = c[^i], yd = y[^i];
            if (!cd.IsKnown) return false;
            if (cd.Value != 1 && !(yd.IsKnown && yd.Value == cd.Value)) return false;
        }
        return true;
    }
}
