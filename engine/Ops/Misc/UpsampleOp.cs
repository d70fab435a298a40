using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Upsample (opsets 7 and 9): resizes X by per-axis <c>scales</c> (an attribute in opset 7, an input from opset 9)
/// with nearest or (bi)linear interpolation and the asymmetric coordinate transform; output dims are floor(in·scale).
/// </summary>
internal sealed class UpsampleOp : TensorOp
{
    private readonly ResizeSettings _settings;
    private readonly double[]? _scales;

    public UpsampleOp(OpBuildContext ctx)
    {
        string mode = ctx.Attributes.String("mode", "nearest");
        int m = MiscTensors.Choice("Upsample", "mode", mode, "nearest", "linear", "bilinear");
        _settings = new ResizeSettings(m == 0 ? ResizeMode.Nearest : ResizeMode.Linear, CoordinateTransform.Asymmetric, NearestRounding.Simple);
        if (ctx.Opset < 9)
            _scales = (ctx.Attributes.Floats("scales") ?? throw new ArgumentException("Upsample-7: the 'scales' attribute is required."))
                .Select(f => (double)f).ToArray();
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var scales = _scales ?? MiscTensors.ToDoubles(inputs.Req(1));
        if (scales.Length != x.Rank)
            throw new ShapeMismatchException($"Upsample: scales must have {x.Rank} values, got {scales.Length}.");
        foreach (double s in scales)
            if (!(s >= 1) || double.IsInfinity(s)) throw new ArgumentOutOfRangeException(nameof(inputs), $"Upsample: scale {s} must be finite and at least 1.");
        return [ResizeKernel.Run(x, scales, ResizeOp.SizesFromScales(x.Shape, scales), null, null, _settings)];
    }
}
