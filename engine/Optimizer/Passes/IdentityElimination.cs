using NativeInfer.IR;
using NativeInfer.Session;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Removes nodes that pass their input through unchanged: Identity, and Dropout in inference mode whose mask output
/// nobody reads. Readers are pointed at the input; when the output is a graph output, the input's producer is renamed
/// to produce it instead.
/// </summary>
public sealed class IdentityElimination : GraphPass
{
    public override string Name => "IdentityElimination";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Removes Identity and inference-mode Dropout nodes.";

    public override int Run(PassContext ctx)
    {
        int removed = 0;
        foreach (var node in ctx.Graph.Nodes.ToList())
        {
            if (!IsPassThrough(ctx, node)) continue;
            string x = node.Inputs[0], y = node.Outputs[0];
            if (x.Length == 0 || y.Length == 0 || !ctx.OnlyDirectReaders(y)) continue;
            if (!ctx.IsGraphOutput(y))
            {
                ctx.RemoveNode(node);
                ctx.RedirectConsumers(y, x);
            }
            else
            {
                // y must stay the name of a graph output: rename x at its producer when nothing else sees x.
                var producer = ctx.Producer(x);
                if (producer is null || ctx.IsGraphOutput(x) || ctx.Consumers(x).Count != 1) continue;
                ctx.RemoveNode(node);
                for (int i = 0; i < producer.Outputs.Length; i++)
                    if (producer.Outputs[i] == x) producer.Outputs[i] = y;
                ctx.Invalidate();
            }
            ctx.Record($"{node.DisplayName} ({node.OpType})");
            removed++;
        }
        return removed;
    }

    private static bool IsPassThrough(PassContext ctx, Node node)
    {
        if (node.Domain is not ("" or "ai.onnx") || node.Inputs.Length == 0 || node.Outputs.Length == 0) return false;
        switch (node.OpType)
        {
            case "Identity":
                return node.Outputs.Length == 1;
            case "Dropout":
                // A mask output that is read would need computing; training mode would drop values.
                if (node.Outputs.Length > 1 && node.Outputs[1].Length > 0
                    && (ctx.IsGraphOutput(node.Outputs[1]) || ctx.Consumers(node.Outputs[1]).Count > 0)) return false;
                if (node.OpsetVersion < 7 && node.Attributes.Int("is_test", 0) == 0) return false;
                if (node.Inputs.Length > 2 && node.Inputs[2].Length > 0)
                {
                    var mode = ctx.Constant(node.Inputs[2]);
                    if (mode is null || mode.Length != 1 || mode.GetDouble(0) != 0) return false;
                }
                return true;
            default:
                return false;
        }
    }
}
