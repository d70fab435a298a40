using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// BatchNormalization over X [N, C, spatial...]: y = scale[c] · (x − mean[c]) / sqrt(var[c] + epsilon) + B[c]. In
/// inference mode mean and var are the inputs. In training mode (training_mode=1 from opset 14; more than one output
/// before) they are the batch statistics (population variance over N and the spatial dims), and the running_mean /
/// running_var outputs are input · momentum + batch · (1 − momentum); opsets before 14 also output the batch mean and
/// variance. epsilon defaults to 1e-5, momentum to 0.9. spatial=0 (opsets before 9) is not supported.
/// Inference on float32 runs as one fused multiply-add per element (y = x·scale' + shift, folded per channel); with
/// constant scale/B/mean/var the folding happens once, when the op is built.
/// </summary>
internal sealed class BatchNormalization : TensorOp
{
    private const string Op = "BatchNormalization";
    private readonly double _epsilon;
    private readonly double _momentum;
    private readonly bool _training;
    /// <summary>The constant parameter tensors (scale, B, mean, var) the folded float32 pair below was computed from.</summary>
    private readonly Tensor?[]? _constants;
    private readonly float[]? _foldedScale;
    private readonly float[]? _foldedShift;

    public BatchNormalization(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _epsilon = a.Float("epsilon", 1e-5f);
        _momentum = a.Float("momentum", 0.9f);
        _training = ctx.Opset >= 14 ? a.Int("training_mode", 0) != 0 : ctx.OutputCount > 1;
        if (ctx.Opset < 9 && a.Int("spatial", 1) == 0)
            throw new NotSupportedException($"{Op}: spatial=0 (per-activation statistics) is not supported.");
        if (_training) return;
        var constants = new[] { ctx.ConstantInput(1), ctx.ConstantInput(2), ctx.ConstantInput(3), ctx.ConstantInput(4) };
        if (constants.Any(t => t is null || t.DataType != DataType.Float)) return;
        int channels = constants[0]!.Length;
        if (constants.Any(t => t!.Length != channels || t.Rank != 1)) return;   // the run path reports the mismatch
        _foldedScale = new float[channels];
        _foldedShift = new float[channels];
        ChannelAffine.FoldBatchNorm(constants[0]!.As<float>().Span, constants[1]!.As<float>().Span, constants[2]!.As<float>().Span,
            constants[3]!.As<float>().Span, (float)_epsilon, _foldedScale, _foldedShift);
        _constants = constants;
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (!_training && x.DataType == DataType.Float) return [RunFloat(x, inputs)];
        return FloatWork.IsDouble(x, Op) ? Run<double>(ctx, x, inputs) : Run<float>(ctx, x, inputs);
    }

    /// <summary>Inference on float32: folded scale/shift (cached when the parameters are the build-time constants).</summary>
    private Tensor RunFloat(Tensor x, Tensor?[] inputs)
    {
        var (n, channels, spatial) = ChannelNorm.Dims(x, Op);
        float[] a, b;
        if (_constants is not null && _foldedScale!.Length == channels
            && ReferenceEquals(inputs.Opt(1), _constants[0]) && ReferenceEquals(inputs.Opt(2), _constants[1])
            && ReferenceEquals(inputs.Opt(3), _constants[2]) && ReferenceEquals(inputs.Opt(4), _constants[3]))
        {
            (a, b) = (_foldedScale, _foldedShift!);
        }
        else
        {
            a = new float[channels];
            b = new float[channels];
            ChannelAffine.FoldBatchNorm(ChannelNorm.Vector<float>(inputs.Req(1), channels, Op, "scale"),
                ChannelNorm.Vector<float>(inputs.Req(2), channels, Op, "B"), ChannelNorm.Vector<float>(inputs.Req(3), channels, Op, "input_mean"),
                ChannelNorm.Vector<float>(inputs.Req(4), channels, Op, "input_var"), (float)_epsilon, a, b);
        }
        var y = new Tensor<float>(x.Shape);
        ChannelAffine.Run(x.As<float>().Span, n, channels, spatial, a, b, y.Span);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
