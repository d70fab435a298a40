using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// The reference interpreter: runs nodes in topological order, keeps each value until its last reader has run.
/// </summary>
internal static class GraphExecutor
{
    private sealed class Plan(List<Node> order, List<string>[] releaseAfter)
    {
        public List<Node> Order { get; } = order;
        public List<string>[] ReleaseAfter { get; } = releaseAfter;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IR.Graph, Plan> s_plans = new();

    /// <summary>Runs a (sub)graph with inputs bound by position.</summary>
    public static Value?[] Run(IR.Graph graph, IReadOnlyList<Value?> inputs, ExecutionScope? parent, SessionOptions options)
    {
        var scope = new ExecutionScope(parent);
        foreach (var (name, t) in graph.Initializers) scope.Set(name, t);
        for (int i = 0; i < graph.Inputs.Count && i < inputs.Count; i++) scope.Set(graph.Inputs[i].Name, inputs[i]);
        return Execute(graph, scope, options);
    }

    /// <summary>Runs the main graph with inputs bound by name.</summary>
    public static Value?[] Run(IR.Graph graph, IReadOnlyDictionary<string, Value> feeds, SessionOptions options,
        CancellationToken cancellation = default)
    {
        var scope = new ExecutionScope(null, cancellation);
        foreach (var (name, t) in graph.Initializers) scope.Set(name, t);
        foreach (var (name, v) in feeds) scope.Set(name, v);
        return Execute(graph, scope, options);
    }

    private static Value?[] Execute(IR.Graph graph, ExecutionScope scope, SessionOptions options)
    {
        var plan = s_plans.GetValue(graph, BuildPlan);
        for (int step = 0; step < plan.Order.Count; step++)
        {
            scope.Cancellation.ThrowIfCancellationRequested();
            var node = plan.Order[step];
            var op = node.Op ?? throw new InvalidOperationException($"Node {node} has no bound op.");
            var inputs = new Value?[node.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
                inputs[i] = node.Inputs[i].Length == 0 ? null : scope.Get(node.Inputs[i]);

            Value?[] outputs;
            try
            {
                outputs = op.Execute(new OpContext(node, scope, options), inputs);
            }
            catch (Exception e) when (e is not NodeExecutionException and not OutOfMemoryException and not OperationCanceledException)
            {
                throw new NodeExecutionException(
                    $"Node '{node.DisplayName}' ({(node.Domain.Length > 0 ? node.Domain + ":" : "")}{node.OpType}, opset {node.OpsetVersion}) failed: {e.Message}", e);
            }
            for (int i = 0; i < node.Outputs.Length; i++)
                if (node.Outputs[i].Length > 0)
                    scope.Set(node.Outputs[i], i < outputs.Length ? outputs[i] : null);
            foreach (var dead in plan.ReleaseAfter[step]) scope.Remove(dead);
        }

        var result = new Value?[graph.Outputs.Count];
        for (int i = 0; i < result.Length; i++) result[i] = scope.Get(graph.Outputs[i].Name);
        return result;
    }

    private static Plan BuildPlan(IR.Graph graph)
    {
        var order = graph.TopologicalOrder(outerScope: graph.FreeVariables());
        var keep = new HashSet<string>(graph.Outputs.Select(o => o.Name));
        var lastUse = new Dictionary<string, int>();
        for (int step = 0; step < order.Count; step++)
            foreach (var name in Graph.NodeReads(order[step])) lastUse[name] = step;
        var release = new List<string>[order.Count];
        for (int i = 0; i < release.Length; i++) release[i] = new();
        var produced = new HashSet<string>(order.SelectMany(n => n.Outputs));
        foreach (var (name, step) in lastUse)
            if (!keep.Contains(name) && produced.Contains(name)) release[step].Add(name);
        // Values produced but never read are dropped right after their producer.
        for (int step = 0; step < order.Count; step++)
            foreach (var o in order[step].Outputs)
                if (o.Length > 0 && !lastUse.ContainsKey(o) && !keep.Contains(o)) release[step].Add(o);
        return new Plan(order, release);
    }
}
