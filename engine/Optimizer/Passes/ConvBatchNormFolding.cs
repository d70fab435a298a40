using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Conv → BatchNormalization (inference, constant statistics) becomes one Conv: with s = scale / sqrt(var + ε),
/// W' = W · s per output channel and B' = (B − mean) · s + bias. float32 only; arithmetic in double.
/// </summary>
public sealed class ConvBatchNormFolding : GraphPass
{
    public override string Name => "ConvBatchNormFolding";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Basic;
    public override string Description => "Folds an inference BatchNormalization into the weights and bias of the Conv before it.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        foreach (var conv in ctx.Graph.Nodes.ToList())
        {
            if (AffineMath.SoleReaderOfConv(ctx, conv) is not { } bn) continue;
            string y = conv.Outputs[0];
            if (bn.OpType != "BatchNormalization" || !AffineMath.IsDefaultDomain(bn) || bn.Inputs.Length != 5 || bn.Inputs[0] != y) continue;
            if (bn.Outputs.Skip(1).Any(o => o.Length > 0)) continue; // training outputs requested
            if (bn.OpsetVersion >= 14 && bn.Attributes.Int("training_mode", 0) != 0) continue;
            if (bn.OpsetVersion < 9 && bn.Attributes.Int("spatial", 1) == 0) continue;
            if (ctx.Constant(conv.Inputs[1]) is not Tensor<float> w || w.Rank < 3) continue;
            int m = w.Shape[0];
            var bias0 = AffineMath.ConvBias(ctx, conv, m);
            var scale = AffineMath.Vector(ctx, bn.Inputs[1], m);
            var shift = AffineMath.Vector(ctx, bn.Inputs[2], m);
            var mean = AffineMath.Vector(ctx, bn.Inputs[3], m);
            var variance = AffineMath.Vector(ctx, bn.Inputs[4], m);
            if (bias0 is null || scale is null || shift is null || mean is null || variance is null) continue;
            double eps = bn.Attributes.Float("epsilon", 1e-5f);
            var s = new float[m];
            var b = new float[m];
            for (int o = 0; o < m; o++)
            {
                double k = scale[o] / Math.Sqrt(variance[o] + eps);
                s[o] = (float)k;
                b[o] = (float)((bias0[o] - (double)mean[o]) * k + shift[o]);
            }
            AffineMath.ReplaceConv(ctx, conv, bn, ctx.AddConstant(conv.Inputs[1], AffineMath.ScaleRows(w, s)), b);
            fused++;
        }
        return fused;
    }
}
