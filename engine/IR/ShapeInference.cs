using NativeInfer.Ops;
using NativeInfer.Tensors;

namespace NativeInfer.IR;

/// <summary>
/// Propagates value types (element type and shape, with symbolic dims) through a graph in topological order. An op's own
/// <see cref="Op.InferOutputs"/> wins; ops without one fall back to <see cref="ShapeRules"/>; otherwise the output type
/// stays unknown. Declared value_info and graph outputs are kept where inference knows less.
/// Symbolic dims flow through unchanged (a batch dimension "N" stays "N"); at run time they take the values the inputs
/// bring (see the session's input validation, which binds each symbol once).
/// </summary>
public static class ShapeInference
{
    /// <summary>Infers types for every value of <paramref name="graph"/>; returns name → type.</summary>
    public static Dictionary<string, TypeInfo> Run(Graph graph)
    {
        var types = new Dictionary<string, TypeInfo>();
        foreach (var (name, t) in graph.Initializers)
            types[name] = TypeInfo.Tensor(t.DataType, t.Shape.Select(d => Dim.Known(d)).ToArray());
        foreach (var i in graph.Inputs)
            if (i.Type is not null && !types.ContainsKey(i.Name)) types[i.Name] = i.Type;

        foreach (var node in graph.TopologicalOrder(outerScope: graph.FreeVariables()))
        {
            var inputs = node.Inputs.Select(n => n.Length > 0 && types.TryGetValue(n, out var t) ? t : null).ToArray();
            TypeInfo?[]? outputs = null;
            var ctx = new OpBuildContext
            {
                Node = node,
                ConstantLookup = name => graph.Initializers.TryGetValue(name, out var c) ? c : null,
            };
            try
            {
                outputs = node.Op?.InferOutputs(ctx, inputs) ?? ShapeRules.Infer(ctx, inputs);
            }
            catch (Exception e) when (e is ShapeMismatchException or ArgumentException or InvalidOperationException)
            {
                throw new GraphValidationException($"Shape inference failed at node {node}: {e.Message}");
            }
            for (int i = 0; i < node.Outputs.Length; i++)
            {
                string name = node.Outputs[i];
                if (name.Length == 0) continue;
                var inferred = outputs is not null && i < outputs.Length ? outputs[i] : null;
                graph.ValueInfos.TryGetValue(name, out var declared);
                var best = Better(inferred, declared?.Type);
                if (best is not null) types[name] = best;
            }
        }
        return types;
    }

    /// <summary>Prefers the type that knows more dims.</summary>
    private static TypeInfo? Better(TypeInfo? inferred, TypeInfo? declared)
    {
        if (inferred is null) return declared;
        if (declared is null) return inferred;
        int Known(TypeInfo t) => t.Shape is null ? -1 : t.Shape.Count(d => d.IsKnown);
        return Known(declared) > Known(inferred) ? declared : inferred;
    }
}
