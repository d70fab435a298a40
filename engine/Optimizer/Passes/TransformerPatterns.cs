using NativeInfer.IR;
using NativeInfer.Ops.Fused;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Shared matching and rewriting of the transformer fusion passes (LayerNormFusion, RmsNormFusion, GeluFusion,
/// SiluFusion, AttentionFusion): reading exporter constants, walking single-reader chains, and writing the fused node
/// as the standard op when the model's opset has it, else as its <c>ai.nativeinfer</c> twin (same attributes, same
/// kernel), so the optimized graph still exports as a valid ONNX file.
/// </summary>
internal static class TransformerPatterns
{
    /// <summary>Relative tolerance on exporter constants (0.5, √2, √(2/π), 0.044715, ...).</summary>
    public const double ConstantTolerance = 1e-4;

    /// <summary>A default-domain node of the given op type with one output.</summary>
    public static bool Is(Node? n, string opType) =>
        n is not null && n.OpType == opType && AffineMath.IsDefaultDomain(n) && n.Outputs.Length == 1 && n.Outputs[0].Length > 0;

    /// <summary>False for a node an earlier rewrite of the same run removed (passes iterate over a snapshot).</summary>
    public static bool Live(PassContext ctx, Node n) => ReferenceEquals(ctx.Producer(n.Outputs[0]), n);

    /// <summary>The value of a one-element floating-point (or integer) constant, else null.</summary>
    public static double? Scalar(PassContext ctx, string name)
    {
        if (ctx.Constant(name) is not { Length: 1 } t || t.DataType is DataType.String or DataType.Bool) return null;
        return t.GetDouble(0);
    }

    /// <summary>True when <paramref name="name"/> is a one-element constant within <see cref="ConstantTolerance"/> of <paramref name="target"/>.</summary>
    public static bool ScalarNear(PassContext ctx, string name, double target) =>
        Scalar(ctx, name) is { } v && Math.Abs(v - target) <= ConstantTolerance * Math.Abs(target);

    /// <summary>A value that only the node reading it (directly, no subgraph) reads, and no graph output: it may be removed with that node.</summary>
    public static bool Private(PassContext ctx, string value) => ctx.HasSingleConsumer(value) && ctx.OnlyDirectReaders(value);

    /// <summary>The sole reader of <paramref name="value"/> when it is a default-domain node of type <paramref name="opType"/>.</summary>
    public static Node? SoleReader(PassContext ctx, string value, string opType) =>
        Private(ctx, value) && ctx.Consumers(value)[0] is var n && Is(n, opType) ? n : null;

    /// <summary>For a binary node reading <paramref name="x"/>, the other operand when it is a scalar constant near <paramref name="target"/>.</summary>
    public static bool OtherIsScalar(PassContext ctx, Node n, string x, double target) =>
        AffineMath.OtherOperand(n, x) is { } o && o != x && ScalarNear(ctx, o, target);

    /// <summary>
    /// The axes a ReduceMean reduces (attribute before opset 18, constant input 1 from then on), normalized to
    /// [0, rank) and sorted, when keepdims is 1 and they are given; null otherwise.
    /// </summary>
    public static int[]? ReduceAxes(PassContext ctx, Node reduce, int rank)
    {
        if (reduce.Attributes.Int("keepdims", 1) == 0) return null;
        long[]? axes;
        if (reduce.OpsetVersion >= 18)
        {
            if (reduce.Inputs.Length < 2 || reduce.Inputs[1].Length == 0) return null;
            if (ctx.Constant(reduce.Inputs[1]) is not { DataType: DataType.Int64 } t) return null;
            axes = t.As<long>().Span.ToArray();
        }
        else axes = reduce.Attributes.Ints("axes");
        if (axes is null || axes.Length == 0) return null;
        var normalized = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) return null;
            normalized[i] = (int)a;
        }
        Array.Sort(normalized);
        return normalized.Distinct().Count() == normalized.Length ? normalized : null;
    }

    /// <summary>The first axis when <paramref name="axes"/> (sorted) are the trailing axes first..rank-1, else -1.</summary>
    public static int TrailingStart(int[] axes, int rank)
    {
        for (int i = 0; i < axes.Length; i++)
            if (axes[i] != rank - axes.Length + i) return -1;
        return rank - axes.Length;
    }

    /// <summary>The shape of a float32 tensor value when its rank and every dim from <paramref name="from"/> on are known.</summary>
    public static Dim[]? FloatShape(Dictionary<string, TypeInfo>? types, string value) =>
        types?.GetValueOrDefault(value) is { Kind: ValueKind.Tensor, ElementType: DataType.Float, Shape: { } s } ? s : null;

    /// <summary>
    /// A per-row parameter (LayerNorm's gamma/beta, RMSNorm's scale): a float32 constant whose shape, after dropping
    /// leading 1s, is exactly the normalized dims <paramref name="normalized"/> and whose rank does not exceed X's
    /// (so the Mul/Add did not broadcast X up). Returns it reshaped to the normalized dims, else null.
    /// </summary>
    public static Tensor<float>? RowParameter(PassContext ctx, string name, Dim[] xShape, int axis)
    {
        if (ctx.Constant(name) is not { DataType: DataType.Float } t || t.Rank > xShape.Length) return null;
        int lead = 0;
        while (lead < t.Rank && t.Shape[lead] == 1 && t.Rank - lead > xShape.Length - axis) lead++;
        if (t.Rank - lead != xShape.Length - axis) return null;
        var shape = new int[xShape.Length - axis];
        for (int d = 0; d < shape.Length; d++)
        {
            var xd = xShape[axis + d];
            if (!xd.IsKnown || xd.Value != t.Shape[lead + d]) return null;
            shape[d] = t.Shape[lead + d];
        }
        return new Tensor<float>(t.As<float>().Span.ToArray(), shape);
    }

    /// <summary>
    /// For <c>y = a * b</c> built from factors <paramref name="x"/>, 0.5 and <paramref name="c"/> in any order and
    /// association (GELU's final product), the nodes from the first reader of <paramref name="c"/> to the last: null
    /// when the product is not exactly that. Intermediates must be private; <paramref name="c"/> must be.
    /// </summary>
    public static List<Node>? HalfProduct(PassContext ctx, string x, string c)
    {
        if (SoleReader(ctx, c, "Mul") is not { } m1) return null;
        string m1Out = m1.Outputs[0];
        var other = AffineMath.OtherOperand(m1, c);
        if (other is null || other == c) return null;
        if (other == x)
        {
            // (x * c) * 0.5
            if (SoleReader(ctx, m1Out, "Mul") is { } m2 && OtherIsScalar(ctx, m2, m1Out, 0.5)) return [m1, m2];
            return null;
        }
        if (ScalarNear(ctx, other, 0.5))
        {
            // x * (c * 0.5)
            if (SoleReader(ctx, m1Out, "Mul") is { } m2 && AffineMath.OtherOperand(m2, m1Out) == x && m2.Inputs[0] != m2.Inputs[1])
                return [m1, m2];
            return null;
        }
        // (x * 0.5) * c
        if (ctx.Producer(other) is { } h && Is(h, "Mul") && Private(ctx, other) && OtherIsScalar(ctx, h, x, 0.5)
            && AffineMath.OtherOperand(h, x) != x)
            return [h, m1];
        return null;
    }

    /// <summary>
    /// Replaces <paramref name="last"/> by the fused node and removes <paramref name="others"/>. The fused node is the
    /// standard <paramref name="opType"/> when the model's default-domain opset (<paramref name="opset"/>) reaches
    /// <paramref name="since"/>, else <c>ai.nativeinfer:opType</c> (version 1), the same op under our domain.
    /// </summary>
    public static Node Rewrite(PassContext ctx, Node last, IEnumerable<Node> others, string opType, int since, int opset,
        string[] inputs, Attributes attributes, string what)
    {
        bool standard = opset >= since;
        var node = new Node
        {
            Name = last.Name,
            OpType = opType,
            Domain = standard ? "" : TransformerFusedOps.Domain,
            Inputs = inputs,
            Outputs = [last.Outputs[0]],
            Attributes = attributes,
            OpsetVersion = standard ? opset : 1,
        };
        ctx.ReplaceNode(last, node);
        foreach (var n in others)
            if (!ReferenceEquals(n, last)) ctx.RemoveNode(n);
        ctx.Record($"{what} → {(standard ? "" : TransformerFusedOps.Domain + ":")}{opType} {node.DisplayName}");
        return node;
    }

    public static AttributeValue FloatAttr(float v) => new(AttributeKind.Float, v);

    public static AttributeValue IntAttr(long v) => new(AttributeKind.Int, v);

    public static AttributeValue StringAttr(string v) => new(AttributeKind.String, v);
}
