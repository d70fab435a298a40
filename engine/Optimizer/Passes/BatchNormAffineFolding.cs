using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// BatchNormalization (inference) → Mul or Add by a per-channel (or scalar) constant becomes one BatchNormalization:
/// Mul scales scale and B, Add shifts B. float32 only.
/// </summary>
public sealed class BatchNormAffineFolding : GraphPass
{
    public override string Name => "BatchNormAffineFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Folds a per-channel constant Mul or Add after an inference BatchNormalization into its scale and bias.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        foreach (var bn in ctx.Graph.Nodes.ToList())
        {
            if (bn.OpType != "BatchNormalization" || !AffineMath.IsDefaultDomain(bn) || bn.Inputs.Length != 5) continue;
            if (bn.Outputs.Length == 0 || bn.Outputs.Skip(1).Any(o => o.Length > 0)) continue;
            if (bn.OpsetVersion >= 14 && bn.Attributes.Int("training_mode", 0) != 0) continue;
            if (bn.OpsetVersion < 9 && bn.Attributes.Int("spatial", 1) == 0) continue;
            string y = bn.Outputs[0];
            if (!ctx.HasSingleConsumer(y)) continue;
            var next = ctx.Consumers(y)[0];
            if (next.OpType is not ("Mul" or "Add") || !AffineMath.IsDefaultDomain(next) || next.Outputs.Length != 1) continue;
            if (AffineMath.OtherOperand(next, y) is not { } other || ctx.Constant(other) is not { } c) continue;
            var scale = ctx.Constant(bn.Inputs[1]);
            if (scale is null || scale.Rank != 1) continue;
            int m = scale.Length;
            types ??= ctx.TryInferTypes();
            if (types?.GetValueOrDefault(bn.Inputs[0]) is not { ElementType: DataType.Float, Shape: { } xs } || xs.Length < 2) continue;
            var k = AffineMath.PerChannel(c, m, xs.Length);
            var s = AffineMath.Vector(ctx, bn.Inputs[1], m);
            var b = AffineMath.Vector(ctx, bn.Inputs[2], m);
            if (k is null || s is null || b is null) continue;
            if (next.OpType == "Mul") for (int o = 0; o < m; o++) { s[o] *= k[o]; b[o] *= k[o]; }
            else for (int o = 0; o < m; o++) b[o] += k[o];
            var folded = GraphOptimizer.CopyNode(bn);
            folded.Op = null;
            folded.Inputs = [bn.Inputs[0], ctx.AddConstant(bn.Inputs[1], new Tensor<float>(s, [m])),
                ctx.AddConstant(bn.Inputs[2], new Tensor<float>(b, [m])), bn.Inputs[3], bn.Inputs[4]];
            folded.Outputs = [next.Outputs[0]];
            ctx.ReplaceNode(bn, folded);
            ctx.RemoveNode(next);
            ctx.Record($"{bn.DisplayName} + {next.DisplayName} ({next.OpType})");
            fused++;
        }
        return fused;
    }
}
