using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Removes nodes whose output equals their input, element for element:
/// Cast/CastLike to the input's own type; Transpose with the identity perm; Reshape, Flatten, Squeeze, Unsqueeze and
/// Expand whose input and output have the same static shape (every dim a known size); Slice with constant starts,
/// ends, axes and step 1 that takes every element of each sliced axis; Pad with all-zero pads; Sum, Mean, Max and Min
/// of a single input; x·1, 1·x, x/1, x+0, 0+x and x−0 with a numeric constant of ones or zeros that
/// broadcasts without changing x's shape or type.
/// <para>
/// x·1 and x/1 are exact (NaN, ±∞ and −0 pass through). x+0 differs only for x = −0, which gives +0; the two compare
/// equal and no op of this engine tells them apart except by sign-dependent results such as 1/x, so it is removed like
/// ONNX Runtime's NoopElimination does (x − 0 and x + (−0) are exact).
/// </para>
/// </summary>
public sealed class NoOpElimination : GraphPass
{
    public override string Name => "NoOpElimination";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Removes no-op Cast, Transpose, Reshape/Flatten/Squeeze/Unsqueeze/Expand, Slice, Pad, x*1, x+0 and single-input Sum/Mean/Max/Min.";

    public override int Run(PassContext ctx)
    {
        int removed = 0;
        Dictionary<string, TypeInfo>? types = null;
        bool inferred = false;
        foreach (var node in ctx.Graph.Nodes.ToList())
        {
            if (node.Domain is not ("" or "ai.onnx") || node.Outputs.Length != 1 || node.Inputs.Length == 0) continue;
            if (!Candidate(node.OpType)) continue;
            // A removal renames values but changes no value's type, so one inference serves the whole pass.
            if (!inferred)
            {
                types = ctx.TryInferTypes();
                inferred = true;
            }
            if (PassThrough(ctx, types, node) is not { } x) continue;
            if (!GraphRewrites.Bypass(ctx, node, x, node.Outputs[0])) continue;
            ctx.Record($"{node.DisplayName} ({node.OpType})");
            removed++;
        }
        return removed;
    }

    private static bool Candidate(string op) => op is "Cast" or "CastLike" or "Transpose" or "Reshape" or "Flatten" or "Squeeze"
        or "Unsqueeze" or "Expand" or "Slice" or "Pad" or "Sum" or "Mean" or "Max" or "Min" or "Mul" or "Div"
        or "Add" or "Sub";

    /// <summary>The input the node passes through unchanged, or null.</summary>
    private static string? PassThrough(PassContext ctx, Dictionary<string, TypeInfo>? types, Node n)
    {
        string x = n.Inputs[0], y = n.Outputs[0];
        if (x.Length == 0 || y.Length == 0) return null;
        switch (n.OpType)
        {
            case "Cast":
                return n.OpsetVersion >= 6 && GraphRewrites.Typed(types, x) is { } tx && tx.ElementType == (DataType)n.Attributes.Int("to", -1) ? x : null;
            case "CastLike":
                return n.Inputs.Length == 2 && GraphRewrites.Typed(types, x) is { } cx && GraphRewrites.Typed(types, n.Inputs[1]) is { } cl
                    && cx.ElementType == cl.ElementType && cx.ElementType != DataType.Undefined ? x : null;
            case "Transpose":
            {
                var perm = GraphRewrites.Perm(n, GraphRewrites.Typed(types, x)?.Shape!.Length);
                return perm is not null && perm.Select((p, i) => p == i).All(b => b) ? x : null;
            }
            case "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Expand":
                return SameStaticShape(types, x, y) ? x : null;
            case "Slice":
                return WholeSlice(ctx, types, n) ? x : null;
            case "Pad":
                return ZeroPads(ctx, n) && SameType(types, x, y) ? x : null;
            case "Sum" or "Mean" or "Max" or "Min":
                return n.Inputs.Length == 1 && SameType(types, x, y) ? x : null;
            case "Mul" or "Div" or "Add" or "Sub":
            {
                if (n.Inputs.Length != 2) return null;
                double unit = n.OpType is "Mul" or "Div" ? 1 : 0;
                bool commutative = n.OpType is "Mul" or "Add";
                if (IsUnitFor(ctx, types, n.Inputs[1], n.Inputs[0], y, unit)) return n.Inputs[0];
                if (commutative && IsUnitFor(ctx, types, n.Inputs[0], n.Inputs[1], y, unit)) return n.Inputs[1];
                return null;
            }
            default:
                return null;
        }
    }

    /// <summary>True when constant <paramref name="c"/> is all <paramref name="unit"/> and leaves <paramref name="x"/>'s shape and type as they are.</summary>
    private static bool IsUnitFor(PassContext ctx, Dictionary<string, TypeInfo>? types, string c, string x, string y, double unit)
    {
        if (ctx.Constant(c) is not { } t || !Numeric(t.DataType) || !GraphRewrites.AllEqual(t, unit)) return false;
        if (GraphRewrites.Typed(types, x) is not { } tx || tx.ElementType != t.DataType || !SameType(types, x, y)) return false;
        var s = tx.Shape!;
        if (t.Rank > s.Length) return false;
        for (int i = 0; i < t.Rank; i++)
        {
            int d = t.Shape[t.Rank - 1 - i];
            var xd = s[s.Length - 1 - i];
            if (d != 1 && !(xd.IsKnown && xd.Value == d)) return false;
        }
        return true;
    }

    private static bool Numeric(DataType t) => t is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16
        or DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64
        or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>True when x's element type is known and y's is the same or unknown.</summary>
    private static bool SameType(Dictionary<string, TypeInfo>? types, string x, string y) =>
        types is not null && types.GetValueOrDefault(x) is { Kind: ValueKind.Tensor, ElementType: not DataType.Undefined } tx
        && (types.GetValueOrDefault(y) is not { } ty || ty.ElementType == tx.ElementType);

    private static bool SameStaticShape(Dictionary<string, TypeInfo>? types, string x, string y) =>
        GraphRewrites.StaticShape(types, x) is { } sx && GraphRewrites.StaticShape(types, y) is { } sy && sx.AsSpan().SequenceEqual(sy)
        && types![x].ElementType == types[y].ElementType;

    /// <summary>
    /// True when the Slice takes every element of every axis it names, in order: constant starts, ends, axes and steps,
    /// each sliced axis of known size, start clamped to 0, end clamped to the size, step 1.
    /// </summary>
    private static bool WholeSlice(PassContext ctx, Dictionary<string, TypeInfo>? types, Node n)
    {
        if (GraphRewrites.Typed(types, n.Inputs[0]) is not { } tx) return false;
        var shape = tx.Shape!;
        long[]? starts, ends, axes, steps = null;
        if (n.OpsetVersion < 10)
        {
            starts = n.Attributes.Ints("starts");
            ends = n.Attributes.Ints("ends");
            axes = n.Attributes.Ints("axes");
        }
        else
        {
            starts = Ints(ctx, n, 1);
            ends = Ints(ctx, n, 2);
            axes = n.Inputs.Length > 3 && n.Inputs[3].Length > 0 ? Ints(ctx, n, 3) : null;
            if (n.Inputs.Length > 4 && n.Inputs[4].Length > 0 && (steps = Ints(ctx, n, 4)) is null) return false;
            if (n.Inputs.Length > 3 && n.Inputs[3].Length > 0 && axes is null) return false;
        }
        if (starts is null || ends is null || starts.Length != ends.Length) return false;
        if (axes is not null && axes.Length != starts.Length || steps is not null && steps.Length != starts.Length) return false;
        var seen = new HashSet<long>();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = axes is null ? i : axes[i];
            if (axis < 0) axis += shape.Length;
            if (axis < 0 || axis >= shape.Length || !seen.Add(axis) || !shape[axis].IsKnown) return false;
            long dim = shape[axis].Value, step = steps is null ? 1 : steps[i];
            if (step != 1) return false;
            long start = starts[i] < 0 ? starts[i] + dim : starts[i], end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (Math.Clamp(start, 0, dim) != 0 || Math.Clamp(end, 0, dim) != dim) return false;
        }
        return true;
    }

    private static long[]? Ints(PassContext ctx, Node n, int input) =>
        n.Inputs.Length > input && n.Inputs[input].Length > 0 && ctx.Constant(n.Inputs[input]) is { DataType: DataType.Int32 or DataType.Int64 } t
            ? t.ToInt64Array()
            : null;

    /// <summary>True when the Pad's pads are known and all zero.</summary>
    private static bool ZeroPads(PassContext ctx, Node n)
    {
        if (n.OpsetVersion < 11)
        {
            var pads = n.Attributes.Ints("pads") ?? n.Attributes.Ints("paddings");
            return pads is { Length: > 0 } && pads.All(p => p == 0);
        }
        if (n.Inputs.Length < 2 || n.Inputs[1].Length == 0 || ctx.Constant(n.Inputs[1]) is not { Length: > 0 } t) return false;
        for (int i = 0; i < t.Length; i++)
            if (t.GetDouble(i) != 0) return false;
        return true;
    }
}
