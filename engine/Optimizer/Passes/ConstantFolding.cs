using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Runs every node whose inputs are all constants once, at session creation, and replaces it by its outputs as
/// initializers (Constant, ConstantOfShape, weight arithmetic, shape arithmetic...). Not folded: random ops, nodes with
/// subgraphs, nodes whose outputs are graph outputs (the caller must get a fresh tensor each run), non-tensor outputs,
/// and nodes whose evaluation fails (the failure then surfaces at run time with the node's name).
/// </summary>
public sealed class ConstantFolding : GraphPass
{
    private static readonly HashSet<string> Nondeterministic = new(StringComparer.Ordinal)
    {
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "Multinomial", "Dropout",
    };

    public override string Name => "ConstantFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Evaluates nodes whose inputs are all constants once and stores their outputs as initializers.";

    public override int Run(PassContext ctx)
    {
        int folded = 0;
        var order = ctx.Graph.TopologicalOrder();
        foreach (var node in order)
        {
            if (!Foldable(ctx, node)) continue;
            var inputs = new Value?[node.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = node.Inputs[i].Length == 0 ? null : ctx.Constant(node.Inputs[i]);
            Value?[] outputs;
            try
            {
                outputs = node.Op!.Execute(new OpContext(node, new ExecutionScope(null), ctx.Options), inputs);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                continue;
            }
            if (!OutputsAreTensors(node, outputs)) continue;
            for (int i = 0; i < node.Outputs.Length; i++)
                if (node.Outputs[i].Length > 0) ctx.Graph.Initializers[node.Outputs[i]] = (Tensor)outputs[i]!;
            ctx.Graph.Nodes.Remove(node);
            ctx.Record($"{node.DisplayName} ({node.OpType})");
            folded++;
        }
        if (folded > 0) ctx.Invalidate();
        return folded;
    }

    private static bool Foldable(PassContext ctx, Node node)
    {
        if (node.Op is null || Nondeterministic.Contains(node.OpType)) return false;
        if (node.Domain is not ("" or "ai.onnx" or "ai.onnx.ml")) return false;
        if (node.Outputs.All(o => o.Length == 0)) return false;
        foreach (var attr in node.Attributes.All.Values)
            if (attr.Kind is AttributeKind.Graph or AttributeKind.Graphs) return false;
        foreach (var i in node.Inputs)
            if (i.Length > 0 && !ctx.IsConstant(i)) return false;
        foreach (var o in node.Outputs)
            if (o.Length > 0 && (ctx.IsGraphOutput(o) || ctx.Graph.Initializers.ContainsKey(o))) return false;
        return true;
    }

    private static bool OutputsAreTensors(Node node, Value?[] outputs)
    {
        for (int i = 0; i < node.Outputs.Length; i++)
        {
            if (node.Outputs[i].Length == 0) continue;
            if (i >= outputs.Length || outputs[i] is not Tensor) return false;
        }
        return true;
    }
}
