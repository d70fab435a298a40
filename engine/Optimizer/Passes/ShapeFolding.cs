using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Replaces Shape and Size nodes by constants when shape inference knows every dimension of their input, so the
/// Shape→Gather→Concat→Reshape chains behind them fold too (with <see cref="ConstantFolding"/>).
/// </summary>
public sealed class ShapeFolding : GraphPass
{
    public override string Name => "ShapeFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Turns Shape/Size of a value whose shape is fully known into a constant.";

    public override int Run(PassContext ctx)
    {
        var candidates = ctx.Graph.Nodes.Where(n => n.Domain is "" or "ai.onnx" && n.OpType is "Shape" or "Size"
            && n.Inputs.Length == 1 && n.Outputs.Length == 1 && !ctx.IsGraphOutput(n.Outputs[0])).ToList();
        if (candidates.Count == 0) return 0;
        if (ctx.TryInferTypes() is not { } types) return 0;
        int folded = 0;
        foreach (var node in candidates)
        {
            string input = node.Inputs[0];
            TypeInfo? type = ctx.Graph.Initializers.TryGetValue(input, out var init)
                ? TypeInfo.Tensor(init.DataType, init.Shape.Select(d => Dim.Known(d)).ToArray())
                : types.GetValueOrDefault(input);
            if (type is not { Kind: ValueKind.Tensor, Shape: { } shape } || shape.Any(d => !d.IsKnown)) continue;
            var dims = shape.Select(d => d.Value).ToArray();
            Tensor value;
            if (node.OpType == "Size")
                value = Tensor<long>.Scalar(dims.Aggregate(1L, (a, b) => a * b));
            else
            {
                int rank = dims.Length;
                long start = node.Attributes.Int("start", 0), end = node.Attributes.Int("end", rank);
                int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
                int e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
                var slice = e > s ? dims[s..e] : [];
                value = new Tensor<long>(slice, [slice.Length]);
            }
            ctx.Graph.Initializers[node.Outputs[0]] = value;
            ctx.Graph.Nodes.Remove(node);
            ctx.Record($"{node.DisplayName} ({node.OpType} of {input})");
            folded++;
        }
        if (folded > 0) ctx.Invalidate();
        return folded;
    }
}
