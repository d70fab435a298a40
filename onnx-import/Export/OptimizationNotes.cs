using NativeInfer.IR;
using NativeInfer.Optimizer;

namespace NativeInfer.Onnx.Export;

/// <summary>
/// Reads an optimizer log back into "what was merged into which node", for doc_strings of the written nodes. A merging
/// firing is logged as <c>survivor + absorbed (OpType) [+ absorbed (OpType)]</c> (node display names); the surviving node
/// takes the outputs of the last node it absorbed and keeps its name, so a chain of firings (Conv + BatchNormalization,
/// then + Relu) is followed through those outputs. Firings that merge nothing (folding a constant, removing a node) add
/// no note.
/// </summary>
public static class OptimizationNotes
{
    /// <summary>Notes keyed by the comma-joined outputs of the node they describe in the optimized graph.</summary>
    public static IReadOnlyDictionary<string, string> ByOutputs(Model original, OptimizationResult result)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(result);
        // Named nodes: name → outputs they now have. Unnamed nodes show as "OpType(out1,out2)": their outputs are in the name.
        var outputsOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in original.Graph.Nodes)
            if (n.Name.Length > 0) outputsOf.TryAdd(n.Name, string.Join(",", n.Outputs));
        var notes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (pass, detail) in result.Log)
        {
            var parts = detail.Split(" + ");
            if (parts.Length < 2) continue;
            string survivor = parts[0];
            string? from = OutputsOf(survivor, outputsOf);
            string? to = OutputsOf(StripOpType(parts[^1]), outputsOf);
            if (from is null || to is null) continue;
            if (!notes.Remove(from, out var list)) list = new();
            list.Add($"{pass}: {detail}");
            notes[to] = list;
            if (outputsOf.ContainsKey(survivor)) outputsOf[survivor] = to;
        }
        return notes.ToDictionary(kv => kv.Key, kv => string.Join("; ", kv.Value), StringComparer.Ordinal);
    }

    /// <summary>A doc_string source for <see cref="OnnxExportOptions.NodeDocString"/>.</summary>
    public static Func<Node, string?> DocStrings(Model original, OptimizationResult result)
    {
        var notes = ByOutputs(original, result);
        return node => notes.TryGetValue(string.Join(",", node.Outputs), out var s) ? "NativeInfer optimizer: " + s : null;
    }

    /// <summary>"name (OpType)" → "name".</summary>
    private static string StripOpType(string part)
    {
        int i = part.LastIndexOf(" (", StringComparison.Ordinal);
        return i > 0 && part.EndsWith(')') ? part[..i] : part;
    }

    private static string? OutputsOf(string displayName, Dictionary<string, string> named)
    {
        if (named.TryGetValue(displayName, out var outs)) return outs;
        int open = displayName.IndexOf('(');
        return open > 0 && displayName.EndsWith(')') ? displayName[(open + 1)..^1] : null;
    }
}
