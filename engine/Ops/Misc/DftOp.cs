using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// DFT (opsets 17 and 20): the discrete Fourier transform along one signal axis of <c>input</c>
/// ([..., 1] real or [..., 2] complex). <c>dft_length</c> zero-pads or truncates the signal; <c>inverse</c> applies
/// the 1/n-normalized inverse; <c>onesided</c> keeps the n/2+1 non-redundant bins, and with <c>inverse</c> takes a
/// one-sided (Hermitian) spectrum and returns the real signal ([..., 1], length dft_length or 2·(bins−1)). The axis is an
/// attribute (default 1) in opset 17 and an optional scalar input (default −2) from opset 20.
/// </summary>
internal sealed class DftOp : TensorOp
{
    private readonly bool _inverse, _onesided;
    private readonly long? _axisAttribute;

    public DftOp(OpBuildContext ctx)
    {
        _inverse = ctx.Attributes.Int("inverse", 0) != 0;
        _onesided = ctx.Attributes.Int("onesided", 0) != 0;
        if (ctx.Opset < 20) _axisAttribute = ctx.Attributes.Int("axis", 1);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2 || x.Shape[^1] is not (1 or 2))
            throw new ShapeMismatchException($"DFT: input must end in a dimension of size 1 (real) or 2 (complex), got {ShapeUtil.Format(x.Shape)}.");
        if (!DataTypes.IsFloatingPoint(x.DataType)) throw new NotSupportedException("DFT: input must be floating point.");
        long axisValue = _axisAttribute ?? (inputs.Opt(2) is { } a ? MiscTensors.ScalarInt(a, "DFT", "axis") : -2);
        int axis = NormalizeSignalAxis(axisValue, x.Rank);
        int len = x.Shape[axis];
        bool irfft = _inverse && _onesided;
        long n = inputs.Opt(1) is { } dl ? MiscTensors.ScalarInt(dl, "DFT", "dft_length") : irfft ? 2L * (len - 1) : len;
        if (n < 1 || n > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(inputs), $"DFT: dft_length {n} must be positive.");

        int outLen = irfft ? (int)n : _onesided ? (int)(n / 2 + 1) : (int)n;
        var outShape = (int[])x.Shape.Clone();
        outShape[axis] = outLen;
        outShape[^1] = irfft ? 1 : 2;
        var src = MiscTensors.ToDoubles(x);
        TensorLimits.CheckAllocation(ShapeUtil.ElementCount(outShape), DataType.Double);
        var dst = new double[ShapeUtil.ElementCount(outShape)];
        var plan = new Fourier((int)n);
        int inCh = x.Shape[^1], outCh = irfft ? 1 : 2;
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.Shape[i];
        for (int i = axis + 1; i < x.Rank - 1; i++) inner *= x.Shape[i];
        int take = (int)Math.Min(len, irfft ? n / 2 + 1 : n);
        double scale = _inverse ? 1.0 / n : 1.0;
        var re = new double[n];
        var im = new double[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int srcStart = (o * len * inner + i) * inCh, srcStride = inner * inCh;
                int dstStart = (o * outLen * inner + i) * outCh, dstStride = inner * outCh;
                Array.Clear(re);
                Array.Clear(im);
                for (int t = 0; t < take; t++)
                {
                    re[t] = src[srcStart + t * srcStride];
                    if (inCh == 2) im[t] = src[srcStart + t * srcStride + 1];
                }
                if (irfft)
                    for (int t = 1; t < take && n - t >= take; t++)
                    {
                        re[n - t] = re[t];
                        im[n - t] = -im[t];
                    }
                plan.Transform(re, im, _inverse);
                for (int t = 0; t < outLen; t++)
                {
                    dst[dstStart + t * dstStride] = re[t] * scale;
                    if (outCh == 2) dst[dstStart + t * dstStride + 1] = im[t] * scale;
                }
            }
        return [MiscTensors.FromDoubles(dst, x.DataType, outShape)];
    }

    private static int NormalizeSignalAxis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank - 2)
            throw new ArgumentOutOfRangeException(nameof(axis), $"DFT: axis {axis} must name a signal dimension of a rank-{rank} input.");
        return (int)a;
    }
}
