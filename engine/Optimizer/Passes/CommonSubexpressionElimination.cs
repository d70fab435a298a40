using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Two nodes of the same op (domain, type, opset) that read the same inputs in the same order with equal attributes
/// compute the same values: the later one (in topological order) is removed and its readers read the earlier one's
/// outputs. Only deterministic ops of the default and <c>ai.nativeinfer</c> domains take part: no Random*, Bernoulli,
/// Multinomial or Dropout, and no node with a subgraph attribute. A node whose output is a graph output, or is
/// captured by a subgraph, is kept. Identical small constants (at most <see cref="MaxMergedConstantElements"/>
/// elements, same type, shape and bytes) are merged first, so that nodes reading equal copies of a constant also
/// merge.
/// </summary>
public sealed class CommonSubexpressionElimination : GraphPass
{
    /// <summary>Largest constant (in elements) merged with an identical one: shapes, axes, scalars, small vectors.</summary>
    public const int MaxMergedConstantElements = 256;

    private static readonly HashSet<string> NonDeterministic =
    [
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "Multinomial", "Dropout",
    ];

    public override string Name => "CommonSubexpressionElimination";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Merges nodes computing the same deterministic op on the same inputs with equal attributes, and identical small constants.";

    public override int Run(PassContext ctx) => MergeConstants(ctx) + MergeNodes(ctx);

    private static int MergeNodes(PassContext ctx)
    {
        int merged = 0;
        var seen = new Dictionary<string, List<Node>>();
        foreach (var node in ctx.Graph.TopologicalOrder(outerScope: null))
        {
            if (!Eligible(node)) continue;
            string key = Key(node);
            if (!seen.TryGetValue(key, out var candidates))
            {
                seen[key] = [node];
                continue;
            }
            var kept = candidates.FirstOrDefault(k => SameAttributes(k.Attributes, node.Attributes) && CanMergeInto(ctx, node, k));
            if (kept is null)
            {
                candidates.Add(node);
                continue;
            }
            ctx.RemoveNode(node);
            for (int i = 0; i < node.Outputs.Length; i++)
                if (node.Outputs[i].Length > 0) ctx.RedirectConsumers(node.Outputs[i], kept.Outputs[i]);
            ctx.Record($"{node.DisplayName} ({node.OpType}) = {kept.DisplayName}");
            merged++;
        }
        return merged;
    }

    private static bool Eligible(Node n)
    {
        if (n.Outputs.Length == 0 || n.Outputs.All(o => o.Length == 0)) return false;
        if (n.Domain is not ("" or "ai.onnx" or "ai.nativeinfer")) return false;
        if (NonDeterministic.Contains(n.OpType)) return false;
        return !n.Attributes.All.Values.Any(v => v.Kind is AttributeKind.Graph or AttributeKind.Graphs);
    }

    private static string Key(Node n) =>
        $"{n.Domain}\u0001{n.OpType}\u0001{n.OpsetVersion}\u0001{n.Outputs.Length}\u0001{string.Join('\u0002', n.Inputs)}";

    /// <summary>True when every output <paramref name="dup"/> makes has a counterpart at <paramref name="kept"/> and may be renamed.</summary>
    private static bool CanMergeInto(PassContext ctx, Node dup, Node kept)
    {
        for (int i = 0; i < dup.Outputs.Length; i++)
        {
            string o = dup.Outputs[i];
            if (o.Length == 0) continue;
            if (kept.Outputs[i].Length == 0 || ctx.IsGraphOutput(o) || !ctx.OnlyDirectReaders(o)) return false;
        }
        return true;
    }

    /// <summary>Points the readers of each small constant at the first identical one; returns how many were redirected.</summary>
    private static int MergeConstants(PassContext ctx)
    {
        int merged = 0;
        var graphInputs = new HashSet<string>(ctx.Graph.Inputs.Select(i => i.Name));
        var first = new Dictionary<string, List<string>>();
        foreach (var (name, t) in ctx.Graph.Initializers.ToList())
        {
            if (t.Length > MaxMergedConstantElements || !ctx.IsConstant(name) || graphInputs.Contains(name) || ctx.IsGraphOutput(name)) continue;
            string key = $"{(int)t.DataType}:{string.Join(",", t.Shape)}";
            if (!first.TryGetValue(key, out var names))
            {
                first[key] = [name];
                continue;
            }
            string? same = names.FirstOrDefault(n => SameTensor(ctx.Graph.Initializers[n], t));
            if (same is null)
            {
                names.Add(name);
                continue;
            }
            var readers = ctx.Consumers(name).ToList();
            if (readers.Count == 0 || !ctx.OnlyDirectReaders(name)) continue;
            ctx.RedirectConsumers(name, same);
            // Ops may have captured the constant under its old name: build them again (finally once more at the end).
            foreach (var r in readers) if (r.Op is not null) ctx.Bind(r);
            ctx.Record($"constant {name} = {same}");
            merged++;
        }
        return merged;
    }

    private static bool SameAttributes(Attributes a, Attributes b)
    {
        if (a.All.Count != b.All.Count) return false;
        foreach (var (k, v) in a.All)
            if (!b.All.TryGetValue(k, out var w) || !SameValue(v, w)) return false;
        return true;
    }

    private static bool SameValue(AttributeValue v, AttributeValue w)
    {
        if (v.Kind != w.Kind) return false;
        return (v.Value, w.Value) switch
        {
            (long x, long y) => x == y,
            (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
            (string x, string y) => x == y,
            (long[] x, long[] y) => x.AsSpan().SequenceEqual(y),
            (float[] x, float[] y) => x.Length == y.Length && x.Zip(y).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second)),
            (string[] x, string[] y) => x.AsSpan().SequenceEqual(y),
            (Tensor x, Tensor y) => SameTensor(x, y),
            (Tensor[] x, Tensor[] y) => x.Length == y.Length && x.Zip(y).All(p => SameTensor(p.First, p.Second)),
            var (x, y) => ReferenceEquals(x, y),
        };
    }

    /// <summary>Same element type, shape and contents (bit for bit).</summary>
    private static bool SameTensor(Tensor a, Tensor b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.DataType != b.DataType || !a.Shape.AsSpan().SequenceEqual(b.Shape)) return false;
        if (a is Tensor<string> sa && b is Tensor<string> sb) return sa.Span.SequenceEqual(sb.Span);
        try
        {
            return a.RawBytes().SequenceEqual(b.RawBytes());
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
