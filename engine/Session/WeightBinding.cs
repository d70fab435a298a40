using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// Where constant weights are packed, and when they are let go. The importer and the optimizer build ops that see only
/// small constants (<see cref="SmallConstantElements"/> elements or fewer: shapes, axes, scalars), so nothing large is
/// packed for a graph that a later stage rewrites; the session then builds the final op of every node that reads a
/// larger constant once (<see cref="BindFinalOps"/>), node by node, and — where allowed — replaces each weight whose
/// readers all packed their own copy by a data-less stand-in (<see cref="ReleasedWeights"/>) as soon as its last reader
/// is built, so the original and its packed copy are held together for one weight at a time, not for the whole model.
/// </summary>
public static class WeightBinding
{
    /// <summary>Constants this small (elements) are shown to provisional ops; larger ones only to the session's final ops.</summary>
    public const int SmallConstantElements = 4096;

    /// <summary>The constant lookup of provisional ops: <paramref name="graph"/>'s initializers of at most <see cref="SmallConstantElements"/> elements.</summary>
    public static Func<string, Tensor?> SmallConstants(Graph graph) =>
        name => graph.Initializers.TryGetValue(name, out var t) && t.Length <= SmallConstantElements ? t : null;

    /// <summary>Released weight bytes after which the session collects garbage before packing the next weights.</summary>
    private const long CollectAfterBytes = 16L << 20;

    /// <summary>What <see cref="BindFinalOps"/> did.</summary>
    internal readonly record struct Outcome(int OpsBuilt, int WeightsReleased, long BytesReleased);

    /// <summary>
    /// Builds the final op (all constants visible) of every node of <paramref name="graph"/> and its subgraphs that reads
    /// an initializer of more than <see cref="SmallConstantElements"/> elements. With <paramref name="release"/>, a float32
    /// initializer of the main graph that is neither a graph input nor a graph output and whose every reader packed it
    /// (<see cref="IPackedWeightOp"/>) is replaced, in <paramref name="graph"/> and in each of
    /// <paramref name="alsoReplaceIn"/> that holds the same tensor, by a stand-in without data. A node whose op the
    /// registry does not build (an op set by hand) keeps its op.
    /// </summary>
    internal static Outcome BindFinalOps(Graph graph, OpRegistry registry, bool release, IReadOnlyList<Graph> alsoReplaceIn)
    {
        var remaining = new Dictionary<string, int>();
        var packedBy = new Dictionary<string, List<IPackedWeightOp>>();
        var outputs = new HashSet<string>(graph.Outputs.Select(o => o.Name));
        var inputs = new HashSet<string>(graph.Inputs.Select(i => i.Name));
        if (release)
            foreach (var node in graph.Nodes)
                foreach (var name in Graph.NodeReads(node).Distinct())
                    if (graph.Initializers.TryGetValue(name, out var t) && t is Tensor<float> && t.Length > SmallConstantElements)
                        remaining[name] = remaining.GetValueOrDefault(name) + 1;
        int built = 0, released = 0;
        long bytes = 0, uncollected = 0;
        foreach (var node in graph.Nodes)
        {
            built += BindSubgraphs(node, registry);
            if (ReadsLargeConstant(graph, node) && Build(node, graph, registry) is { } op)
            {
                node.Op = op;
                built++;
            }
            if (!release) continue;
            foreach (var name in Graph.NodeReads(node).Distinct())
            {
                if (!remaining.TryGetValue(name, out int left)) continue;
                var weight = graph.Initializers[name];
                bool packedHere = node.Op is IPackedWeightOp p && p.PackedInput >= 0 && ReferenceEquals(p.PackedSource, weight)
                    && node.Inputs.Count(i => i == name) == 1 && node.Inputs[p.PackedInput] == name;
                if (!packedHere)
                {
                    remaining.Remove(name); // some reader needs the data
                    continue;
                }
                if (!packedBy.TryGetValue(name, out var list)) packedBy[name] = list = new();
                list.Add((IPackedWeightOp)node.Op!);
                if (left > 1)
                {
                    remaining[name] = left - 1;
                    continue;
                }
                remaining.Remove(name);
                if (outputs.Contains(name) || inputs.Contains(name)) continue;
                var standIn = ReleasedWeights.StandIn((Tensor<float>)weight, name);
                graph.Initializers[name] = standIn;
                foreach (var g in alsoReplaceIn)
                    if (g.Initializers.TryGetValue(name, out var same) && ReferenceEquals(same, weight)) g.Initializers[name] = standIn;
                foreach (var reader in list) reader.UsePackedFor(standIn);
                released++;
                bytes += (long)weight.Length * sizeof(float);
                uncollected += (long)weight.Length * sizeof(float);
                if (uncollected >= CollectAfterBytes)
                {
                    // Reclaim the released weights now, so the next weights' packed copies reuse their memory instead of
                    // growing the process while the garbage waits for the GC's own schedule.
                    GC.Collect();
                    uncollected = 0;
                }
            }
        }
        return new Outcome(built, released, bytes);
    }

    /// <summary>
    /// Replaces, in a model graph the session owns, every float32 initializer larger than
    /// <see cref="SmallConstantElements"/> that the graph that runs does not hold (by identity) — weights the optimizer
    /// folded into others — and that is neither a graph input nor a graph output, by a stand-in without data.
    /// </summary>
    internal static (int Count, long Bytes) ReleaseUnused(Graph model, Graph executed)
    {
        var held = new HashSet<Tensor>(executed.Initializers.Values, ReferenceEqualityComparer.Instance);
        var boundary = new HashSet<string>(model.Inputs.Select(i => i.Name).Concat(model.Outputs.Select(o => o.Name)));
        int count = 0;
        long bytes = 0;
        foreach (var (name, t) in model.Initializers.ToList())
        {
            if (t is not Tensor<float> f || t.Length <= SmallConstantElements || held.Contains(t) || boundary.Contains(name)
                || ReleasedWeights.IsReleased(t)) continue;
            model.Initializers[name] = ReleasedWeights.StandIn(f, name);
            count++;
            bytes += (long)t.Length * sizeof(float);
        }
        return (count, bytes);
    }

    private static int BindSubgraphs(Node node, OpRegistry registry)
    {
        int built = 0;
        foreach (var attr in node.Attributes.All.Values)
        {
            var graphs = attr.Value switch { Graph g => new[] { g }, Graph[] gs => gs, _ => null };
            if (graphs is null) continue;
            foreach (var g in graphs) built += BindFinalOps(g, registry, release: false, []).OpsBuilt;
        }
        return built;
    }

    private static bool ReadsLargeConstant(Graph graph, Node node)
    {
        foreach (var i in node.Inputs)
            if (i.Length > 0 && graph.Initializers.TryGetValue(i, out var t) && t.Length > SmallConstantElements) return true;
        return false;
    }

    /// <summary>The node's op built with every constant of <paramref name="graph"/>; null to keep the current op.</summary>
    private static Op? Build(Node node, Graph graph, OpRegistry registry)
    {
        var reg = registry.Resolve(node.Domain, node.OpType, node.OpsetVersion);
        if (reg is null) return null;
        Op op;
        try
        {
            op = reg.Factory(new OpBuildContext
            {
                Node = node,
                ConstantLookup = name => graph.Initializers.TryGetValue(name, out var t) ? t : null,
            });
        }
        catch (Exception e) when (node.Op is not null
                                  && e is NotSupportedException or ArgumentException or InvalidOperationException or InvalidCastException)
        {
            return null; // the provisional op stays; a run reports what is wrong with the constant
        }
        // An op set by hand (a type the registry does not make for this node) stays.
        return node.Op is null || node.Op.GetType() == op.GetType() ? op : null;
    }
}
