using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>Edits and shape queries shared by the elimination and Gemm passes.</summary>
internal static class GraphRewrites
{
    /// <summary>
    /// Removes <paramref name="node"/>, whose output <paramref name="y"/> always equals its input <paramref name="x"/>:
    /// readers of y read x instead; when y is a graph output, x's producer is renamed to produce y (only when nothing
    /// else reads x). Returns false, changing nothing, when neither is possible.
    /// </summary>
    public static bool Bypass(PassContext ctx, Node node, string x, string y)
    {
        if (x.Length == 0 || y.Length == 0 || !ctx.OnlyDirectReaders(y)) return false;
        if (!ctx.IsGraphOutput(y))
        {
            ctx.RemoveNode(node);
            ctx.RedirectConsumers(y, x);
            return true;
        }
        var producer = ctx.Producer(x);
        if (producer is null || ctx.IsGraphOutput(x) || ctx.Consumers(x).Count != 1) return false;
        ctx.RemoveNode(node);
        for (int i = 0; i < producer.Outputs.Length; i++)
            if (producer.Outputs[i] == x) producer.Outputs[i] = y;
        ctx.Invalidate();
        return true;
    }

    /// <summary>The value's shape when every dim is a known size, else null.</summary>
    public static int[]? StaticShape(Dictionary<string, TypeInfo>? types, string name)
    {
        if (types is null || name.Length == 0 || types.GetValueOrDefault(name) is not { Kind: ValueKind.Tensor, Shape: { } s }) return null;
        if (s.Any(d => !d.IsKnown || d.Value > int.MaxValue)) return null;
        return s.Select(d => (int)d.Value).ToArray();
    }

    /// <summary>The value's tensor type with a known rank, else null.</summary>
    public static TypeInfo? Typed(Dictionary<string, TypeInfo>? types, string name) =>
        types is not null && name.Length > 0 && types.GetValueOrDefault(name) is { Kind: ValueKind.Tensor, Shape: not null } t ? t : null;

    public static bool IsFloat32(Dictionary<string, TypeInfo>? types, string name) =>
        Typed(types, name) is { ElementType: DataType.Float };

    /// <summary>The perm of a Transpose node (the default reverses the axes; needs the rank), or null when unknown.</summary>
    public static int[]? Perm(Node transpose, int? rank)
    {
        var p = transpose.Attributes.Ints("perm");
        if (p is null) return rank is { } r ? Enumerable.Range(0, r).Reverse().ToArray() : null;
        if (rank is { } rk && p.Length != rk) return null;
        var perm = p.Select(v => (int)v).ToArray();
        var seen = new bool[perm.Length];
        foreach (var v in perm)
        {
            if (v < 0 || v >= perm.Length || seen[v]) return null;
            seen[v] = true;
        }
        return perm;
    }

    /// <summary>True when every element of the constant equals <paramref name="value"/> (and there is at least one).</summary>
    public static bool AllEqual(Tensor t, double value)
    {
        if (t.Length == 0) return false;
        for (int i = 0; i < t.Length; i++)
            if (t.GetDouble(i) != value) return false;
        return true;
    }
}
