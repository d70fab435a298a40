using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Optimizer.Passes;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer;

/// <summary>What an optimization did: the graph that runs, every firing, and node counts before and after.</summary>
public sealed record OptimizationResult(
    Model Model,
    IReadOnlyList<(string Pass, string Detail)> Log,
    int NodesBefore,
    int NodesAfter)
{
    /// <summary>How often each pass fired.</summary>
    public IReadOnlyDictionary<string, int> Firings =>
        Log.GroupBy(e => e.Pass).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>
/// Turns an imported graph into the graph that runs. The passes of the enabled levels (minus
/// <see cref="SessionOptions.DisabledPasses"/>) run in order, round after round, until a round changes nothing; the
/// graph is validated (acyclic, every read provided) after each pass that changed it. The input model is not modified:
/// the result holds a copy of the main graph (subgraphs and initializer tensors are shared, never mutated).
/// </summary>
public static class GraphOptimizer
{
    private const int MaxRounds = 16;

    /// <summary>Every pass, in the order a round runs them.</summary>
    public static IReadOnlyList<GraphPass> AllPasses { get; } =
    [
        new ConstantFolding(),
        new ShapeFolding(),
        new IdentityElimination(),
        new NoOpElimination(),
        new CommonSubexpressionElimination(),
        new ConvBatchNormFolding(),
        new ConvAffineFolding(),
        new BatchNormAffineFolding(),
        new ConvActivationFusion(),
        new LayerNormFusion(),
        new RmsNormFusion(),
        new GeluFusion(),
        new SiluFusion(),
        new AttentionFusion(),
        new TransposeMatMulFolding(),
        new MatMulAddToGemm(),
        new GemmActivationFusion(),
        new ElementwiseFusion(),
        new DeadNodeElimination(),
    ];

    public static GraphPass? Find(string name) =>
        AllPasses.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static OptimizationResult Optimize(Model model, SessionOptions options, OpRegistry? registry = null)
    {
        registry ??= OpRegistry.Default;
        foreach (var name in options.DisabledPasses)
            if (Find(name) is null)
                throw new ArgumentException(
                    $"Unknown optimizer pass '{name}'. Passes: {string.Join(", ", AllPasses.Select(p => p.Name))}.");
        var graph = CopyGraph(model.Graph);
        int before = graph.Nodes.Count;
        var passes = AllPasses.Where(p => p.Level <= options.OptimizationLevel && !options.DisabledPasses.Contains(p.Name)).ToList();
        var originalConstants = new HashSet<string>(graph.Initializers.Keys);
        var ctx = new PassContext(graph, registry, options, initializersOverridable: model.IrVersion >= 4, passName: "");
        using (TensorLimits.Push(options.MaxTensorBytes))
        {
            for (int round = 0; round < MaxRounds && passes.Count > 0; round++)
            {
                int changes = 0;
                foreach (var pass in passes)
                {
                    ctx.PassName = pass.Name;
                    int n = pass.Run(ctx);
                    if (n == 0) continue;
                    changes += n;
                    ctx.Invalidate();
                    Validate(graph, pass);
                }
                if (changes == 0) break;
            }
        }
        ctx.RemoveUnusedInitializers();
        Rebind(ctx, originalConstants);
        var optimized = new Model
        {
            Graph = graph,
            IrVersion = model.IrVersion,
            OpsetImports = model.OpsetImports,
            ProducerName = model.ProducerName,
            Metadata = model.Metadata,
        };
        return new OptimizationResult(optimized, ctx.Log, before, graph.Nodes.Count);
    }

    private static void Validate(Graph graph, GraphPass pass)
    {
        try
        {
            graph.TopologicalOrder(outerScope: null);
        }
        catch (GraphValidationException e)
        {
            throw new InvalidOperationException($"Optimizer pass '{pass.Name}' produced an invalid graph: {e.Message}", e);
        }
    }

    /// <summary>
    /// Builds the op of every node made during optimization, and again of nodes that now read a constant computed at
    /// optimization time. They see small constants only (<see cref="WeightBinding.SmallConstants"/>): the session builds
    /// the final op of each node reading a large one (packing its weights once) and may then release the original.
    /// </summary>
    private static void Rebind(PassContext ctx, HashSet<string> originalConstants)
    {
        var graph = ctx.Graph;
        foreach (var node in graph.Nodes)
        {
            bool rebuild = node.Op is null || ctx.BoundDuringPasses.Contains(node)
                || node.Inputs.Any(i => i.Length > 0 && graph.Initializers.ContainsKey(i) && !originalConstants.Contains(i));
            if (rebuild) node.Op = ctx.Build(node, WeightBinding.SmallConstants(graph));
        }
    }

    /// <summary>A copy of the main graph whose node list, nodes and initializer map may be edited freely.</summary>
    internal static Graph CopyGraph(Graph g)
    {
        var copy = new Graph { Name = g.Name };
        copy.Inputs.AddRange(g.Inputs);
        copy.Outputs.AddRange(g.Outputs);
        foreach (var (k, v) in g.Initializers) copy.Initializers[k] = v;
        foreach (var (k, v) in g.ValueInfos) copy.ValueInfos[k] = v;
        foreach (var n in g.Nodes) copy.Nodes.Add(CopyNode(n));
        return copy;
    }

    internal static Node CopyNode(Node n) => new()
    {
        Name = n.Name,
        OpType = n.OpType,
        Domain = n.Domain,
        Inputs = (string[])n.Inputs.Clone(),
        Outputs = (string[])n.Outputs.Clone(),
        Attributes = n.Attributes,
        OpsetVersion = n.OpsetVersion,
        Op = n.Op,
    };
}
