using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// BatchNormalization over X [N, C, spatial...]: y = scale[c] · (x − mean[c]) / sqrt(var[c] + epsilon) + B[c]. In
/// inference mode mean and var are the inputs. In training mode (training_mode=1 from opset 14; more than one output
/// before) they are the batch statistics (population variance over N and the spatial dims), and the running_mean /
/// running_var outputs are input · momentum + batch · (1 − momentum); opsets before 14 also output the batch mean and
/// variance. epsilon defaults to 1e-5, momentum to 0.9. spatial=0 (opsets before 9) is not supported.
/// </summary>
internal sealed class BatchNormalization : TensorOp
{
    private const string Op = "BatchNormalization";
    private readonly double _epsilon;
    private readonly double _momentum;
    private readonly bool _training;

    public BatchNormalization(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _epsilon = a.Float("epsilon", 1e-5f);
        _momentum = a.Float("momentum", 0.9f);
        _training = ctx.Opset >= 14 ? a.Int("training_mode", 0) != 0 : ctx.OutputCount > 1;
        if (ctx.Opset < 9 && a.Int("spatial", 1) == 0)
            throw new NotSupportedException($"{Op}: spatial=0 (per-activation statistics) is not supported.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        return FloatWork.IsDouble(x, Op) ? Run<double>(ctx, x, inputs) : Run<float>(ctx, x, inputs);
    }

    private Tensor?[] Run<T>(OpContext ctx, Tensor x, Tensor?[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, channels, spatial) = ChannelNorm.Dims(x, Op);
        var scale = ChannelNorm.Vector<T>(inputs.Req(1), channels, Op, "scale");
        var bias = ChannelNorm.Vector<T>(inputs.Req(2), channels, Op, "B");
        var mean = ChannelNorm.Vector<T>(inputs.Req(3), channels, Op, "input_mean");
        var variance = ChannelNorm.Vector<T>(inputs.Req(4), channels, Op, "input_var");
        var xs = FloatWork.As<T>(x).Span;
        var y = Tensor<T>.Uninitialized(x.Shape);   // Affine writes every element
        if (!_training)
        {
            var inv = Moments.InvStd((T[])variance.Clone(), _epsilon);
            ChannelNorm.Affine(xs, y.Span, n, channels, spatial, perSample: false, mean, inv, scale, bias);
            return [FloatWork.To(y, x.DataType)];
        }

        var axes = Enumerable.Range(0, x.Rank).Where(d => d != 1).Select(d => (long)d).ToArray();
        var plan = ReducePlan.Create(x.Shape, axes, keepDims: false, Op);
        var batchMean = Moments.Mean(xs, plan);
        var batchVar = Moments.MeanSquare(xs, plan, batchMean);
        var batchInv = Moments.InvStd((T[])batchVar.Clone(), _epsilon);
        ChannelNorm.Affine(xs, y.Span, n, channels, spatial, perSample: false, batchMean, batchInv, scale, bias);

        T m = T.CreateTruncating(_momentum), rest = T.One - m;
        var runningMean = new T[channels];
        var runningVar = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            runningMean[c] = mean[c] * m + batchMean[c] * rest;
            runningVar[c] = variance[c] * m + batchVar[c] * rest;
        }
        var statsType = inputs.Req(3).DataType;
        int[] shape = [channels];
        Tensor?[] outputs =
        [
            FloatWork.To(y, x.DataType),
            Moments.ToTensor(runningMean, shape, statsType),
            Moments.ToTensor(runningVar, shape, statsType),
            ctx.OutputCount > 3 ? Moments.ToTensor(batchMean, shape, statsType) : null,
            ctx.OutputCount > 4 ? Moments.ToTensor(batchVar, shape, statsType) : null,
        ];
        return outputs[..Math.Clamp(ctx.OutputCount, 1, outputs.Length)];
    }
}
