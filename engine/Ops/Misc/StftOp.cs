using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// STFT (opset 17): short-time Fourier transform of <c>signal</c> [batch, length, 1|2]. Frames of
/// <c>frame_length</c> samples (default: the window length) start every <c>frame_step</c> samples, are multiplied by
/// <c>window</c> (default rectangular) and transformed; the output is [batch, frames, bins, 2] with
/// frames = 1 + (length − frame_length) / frame_step and bins = frame_length/2+1 when onesided (default) else frame_length.
/// </summary>
internal sealed class StftOp : TensorOp
{
    private readonly bool _onesided;

    public StftOp(OpBuildContext ctx) => _onesided = ctx.Attributes.Int("onesided", 1) != 0;

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.ElementType(inputs, 0) is { } t ? MiscTypes.OfRank(t, 4) : null];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var signal = inputs.Req(0);
        if (signal.Rank != 3 || signal.Shape[2] is not (1 or 2))
            throw new ShapeMismatchException($"STFT: signal must have shape [batch, length, 1 or 2], got {ShapeUtil.Format(signal.Shape)}.");
        if (!DataTypes.IsFloatingPoint(signal.DataType)) throw new NotSupportedException("STFT: signal must be floating point.");
        long step = MiscTensors.ScalarInt(inputs.Req(1), "STFT", "frame_step");
        var windowT = inputs.Opt(2);
        if (windowT is not null && windowT.Rank != 1)
            throw new ShapeMismatchException($"STFT: window must be 1-D, got {ShapeUtil.Format(windowT.Shape)}.");
        long frameLength = inputs.Opt(3) is { } fl ? MiscTensors.ScalarInt(fl, "STFT", "frame_length")
            : windowT?.Length ?? throw new ArgumentException("STFT: either window or frame_length must be given.");
        if (windowT is not null && windowT.Length != frameLength)
            throw new ShapeMismatchException($"STFT: window length {windowT.Length} differs from frame_length {frameLength}.");
        int batch = signal.Shape[0], length = signal.Shape[1], ch = signal.Shape[2];
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(inputs), $"STFT: frame_step {step} must be positive.");
        if (frameLength < 1 || frameLength > length)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"STFT: frame_length {frameLength} must lie in [1, {length}].");
        int n = (int)frameLength;
        int frames = (int)(1 + (length - n) / step);
        int bins = _onesided ? n / 2 + 1 : n;
        var outShape = new[] { batch, frames, bins, 2 };
        TensorLimits.CheckAllocation(ShapeUtil.ElementCount(outShape), DataType.Double);
        var dst = new double[ShapeUtil.ElementCount(outShape)];
        var src = MiscTensors.ToDoubles(signal);
        double[]? window = windowT is null ? null : MiscTensors.ToDoubles(windowT);
        var plan = new Fourier(n);
        var re = new double[n];
        var im = new double[n];
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < frames; f++)
            {
                int start = (int)(f * step);
                for (int t = 0; t < n; t++)
                {
                    int at = (b * length + start + t) * ch;
                    double w = window?[t] ?? 1;
                    re[t] = src[at] * w;
                    im[t] = ch == 2 ? src[at + 1] * w : 0;
                }
                plan.Transform(re, im, false);
                int o = (b * frames + f) * bins * 2;
                for (int k = 0; k < bins; k++)
                {
                    dst[o + 2 * k] = re[k];
                    dst[o + 2 * k + 1] = im[k];
                }
            }
        return [MiscTensors.FromDoubles(dst, signal.DataType, outShape)];
    }
}
