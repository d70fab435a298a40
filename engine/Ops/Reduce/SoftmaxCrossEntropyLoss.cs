using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// SoftmaxCrossEntropyLoss: log-softmax of scores [N, C, d...] along the class axis, then the negative log-likelihood
/// of labels [N, d...] (weights, ignore_index and reduction as in <see cref="LossCore"/>). The optional second output
/// is the log-probabilities.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss(OpBuildContext ctx) : TensorOp
{
    private const string Op = "SoftmaxCrossEntropyLoss";
    private readonly LossCore _loss = new(ctx);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var labels = inputs.Req(1);
        _loss.CheckShapes(x, labels);
        var (loss, logProb) = FloatWork.IsDouble(x, Op) ? Run<double>(x, labels, inputs.Opt(2)) : Run<float>(x, labels, inputs.Opt(2));
        return ctx.OutputCount > 1
            ? [FloatWork.To(loss, x.DataType), ctx.OutputRequested(1) ? FloatWork.To(logProb, x.DataType) : null]
            : [FloatWork.To(loss, x.DataType)];
    }

    private (Tensor Loss, Tensor LogProb) Run<T>(Tensor x, Tensor labels, Tensor? weight) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logProb = new Tensor<T>(x.Shape);
        LogSoftmax.Compute(FloatWork.As<T>(x).Span, logProb.Span, ReducePlan.Create(x.Shape, [1], keepDims: true, Op));
        return (_loss.Compute<T>(logProb.Span, x.Shape, labels, weight), logProb);
    }
}
