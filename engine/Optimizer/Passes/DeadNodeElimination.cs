using NativeInfer.IR;
using NativeInfer.Session;

namespace NativeInfer.Optimizer.Passes;

/// <summary>Removes nodes none of whose outputs reaches a graph output (random ops included: their draws are unobservable).</summary>
public sealed class DeadNodeElimination : GraphPass
{
    public override string Name => "DeadNodeElimination";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Removes nodes whose outputs no graph output depends on.";

    public override int Run(PassContext ctx)
    {
        var live = new HashSet<string>(ctx.Graph.Outputs.Select(o => o.Name));
        var order = ctx.Graph.TopologicalOrder();
        var dead = new List<Node>();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.Outputs.Any(o => o.Length > 0 && live.Contains(o)))
                foreach (var r in Graph.NodeReads(node)) live.Add(r);
            else dead.Add(node);
        }
        foreach (var node in dead)
        {
            ctx.Graph.Nodes.Remove(node);
            ctx.Record($"{node.DisplayName} ({node.OpType})");
        }
        if (dead.Count > 0) ctx.Invalidate();
        return dead.Count;
    }
}
