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
            if (AffineMath.SoleReaderOfConv(ctx, conv) is not { } next) continue;
            string y = conv.Outputs[0];
            if (next.OpType is not ("Mul" or "Add") || !AffineMath.IsDefaultDomain(next) || next.Outputs.Length != 1) continue;
            if (AffineMath.OtherOperand(next, y) is not { } other || ctx.Constant(other) is not { } c) continue;
            if (ctx.Constant(conv.Inputs[1]) is not Tensor<float> w || w.Rank < 3) continue;
            int m = w.Shape[0];
            var k = AffineMath.PerChannel(c, m, w.Rank);
            if (k is null) continue;
            if (AffineMath.ConvBias(ctx, conv, m) is not { } bias) continue;
            string wName = conv.Inputs[1];
            if (next.OpType == "Mul")
            {
                wName = ctx.AddConstant(conv.Inputs[1], AffineMath.ScaleRows(w, k));
                for (int o = 0; o < m; o++) bias[o] *= k[o];
            }
            else for (int o = 0; o < m; o++) bias[o] += k[o];
            AffineMath.ReplaceConv(ctx, conv, next, wName, bias);
            fused++;
        }
        return fused;
    }
}
