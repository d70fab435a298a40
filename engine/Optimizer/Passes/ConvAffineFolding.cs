using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Conv → Mul by a per-channel (or scalar) constant scales W and B; Conv → Add of one shifts B. float32 only.
/// </summary>
public sealed class ConvAffineFolding : GraphPass
{
    public override string Name => "ConvAffineFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Folds a per-channel constant Mul or Add after a Conv into its weights and bias.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        foreach (var conv in ctx.Graph.Nodes.ToList())
        {
            if (conv.OpType != "Conv" || !AffineMath.IsDefaultDomain(conv) || conv.Outputs.Length != 1) continue;
            string y = conv.Outputs[0];
            if (!ctx.HasSingleConsumer(y)) continue;
            var next = ctx.Consumers(y)[0];
            if (next.OpType is not ("Mul" or "Add") || !AffineMath.IsDefaultDomain(next) || next.Outputs.Length != 1) continue;
            if (AffineMath.OtherOperand(next, y) is not { } other || ctx.Constant(other) is not { } c) continue;
            if (ctx.Constant(conv.Inputs[1]) is not Tensor<float> w || w.Rank < 3) continue;
            int m = w.Shape[0];
            var k = AffineMath.PerChannel(c, m, w.Rank);
            if (k is null) continue;
            float[]? bias = conv.Inputs.Length > 2 && conv.Inputs[2].Length > 0 ? AffineMath.Vector(ctx, conv.Inputs[2], m) : new float[m];
            if (bias is null) continue;
            string wName = conv.Inputs[1];
            if (next.OpType == "Mul")
            {
                wName = ctx.AddConstant(conv.Inputs[1], AffineMath.ScaleRows(w, k));
                for (int o = 0; o < m; o++) bias[o] *= k[o];
            }
            else for (int o = 0; o < m; o++) bias[o] += k[o];
            var folded = GraphOptimizer.CopyNode(conv);
            folded.Op = null;
            folded.Inputs = [conv.Inputs[0], wName, ctx.AddConstant(y + "_bias", new Tensor<float>(bias, [m]))];
            folded.Outputs = [next.Outputs[0]];
            ctx.ReplaceNode(conv, folded);
            ctx.RemoveNode(next);
            ctx.Record($"{conv.DisplayName} + {next.DisplayName} ({next.OpType})");
            fused++;
        }
        return fused;
    }
}
