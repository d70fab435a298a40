using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// NegativeLogLikelihoodLoss: input [N, C, d...] of log-probabilities, target [N, d...] int32/int64, optional
/// weight [C]; reduction none/sum/mean (default mean) and ignore_index as in <see cref="LossCore"/>.
/// </summary>
internal sealed class NegativeLogLikelihoodLoss(OpBuildContext ctx) : TensorOp
{
    private const string Op = "NegativeLogLikelihoodLoss";
    private readonly LossCore _loss = new(ctx);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var target = inputs.Req(1);
        _loss.CheckShapes(x, target);
        Tensor y = FloatWork.IsDouble(x, Op)
            ? _loss.Compute(FloatWork.As<double>(x).Span, x.Shape, target, inputs.Opt(2))
            : _loss.Compute(FloatWork.As<float>(x).Span, x.Shape, target, inputs.Opt(2));
        return [FloatWork.To(y, x.DataType)];
    }
}
