using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Resize (opsets 10–19): resamples X with nearest, linear or cubic interpolation. The output size comes from
/// <c>scales</c> (floor(in·scale)) or <c>sizes</c> (optionally limited to <c>axes</c> and adjusted by
/// keep_aspect_ratio_policy); coordinate_transformation_mode maps output to input coordinates (tf_crop_and_resize reads
/// <c>roi</c> and writes extrapolation_value outside it); cubic_coeff_a, exclude_outside and antialias (a widened filter
/// when downsampling) shape the filter. Opset 10 takes (X, scales) and uses the asymmetric transform.
/// </summary>
internal sealed class ResizeOp : TensorOp
{
    private static readonly string[] Modes = ["nearest", "linear", "cubic"];
    private static readonly string[] Transforms =
        ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"];
    private static readonly string[] Roundings = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];
    private static readonly string[] AspectPolicies = ["stretch", "not_larger", "not_smaller"];

    private readonly ResizeSettings _settings;
    private readonly bool _opset10;
    private readonly long[]? _axes;
    private readonly int _aspectPolicy;

    public ResizeOp(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _opset10 = ctx.Opset < 11;
        var mode = (ResizeMode)MiscTensors.Choice("Resize", "mode", a.String("mode", "nearest"), Modes);
        if (_opset10)
        {
            if (mode == ResizeMode.Cubic) throw new NotSupportedException("Resize-10: mode 'cubic' does not exist before opset 11.");
            _settings = new ResizeSettings(mode, CoordinateTransform.Asymmetric, NearestRounding.Simple);
            return;
        }
        var transform = (CoordinateTransform)MiscTensors.Choice("Resize", "coordinate_transformation_mode",
            a.String("coordinate_transformation_mode", "half_pixel"), Transforms);
        var rounding = (NearestRounding)MiscTensors.Choice("Resize", "nearest_mode", a.String("nearest_mode", "round_prefer_floor"), Roundings);
        bool antialias = a.Int("antialias", 0) != 0;
        if (antialias && mode == ResizeMode.Nearest)
            throw new NotSupportedException("Resize: antialias is not defined for mode 'nearest'.");
        _settings = new ResizeSettings(mode, transform, rounding, a.Float("cubic_coeff_a", -0.75f),
            a.Int("exclude_outside", 0) != 0, a.Float("extrapolation_value", 0f), antialias);
        _axes = a.Ints("axes");
        _aspectPolicy = MiscTensors.Choice("Resize", "keep_aspect_ratio_policy", a.String("keep_aspect_ratio_policy", "stretch"), AspectPolicies);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        if (_opset10)
        {
            var sc = ReadScales(inputs.Req(1), rank);
            return [ResizeKernel.Run(x, sc, SizesFromScales(x.Shape, sc), null, null, _settings)];
        }
        int[] axes = ResolveAxes(rank);
        var roi = NonEmpty(inputs.Opt(1));
        var scalesIn = NonEmpty(inputs.Opt(2));
        var sizesIn = NonEmpty(inputs.Opt(3));
        if ((scalesIn is null) == (sizesIn is null))
            throw new ArgumentException("Resize: exactly one of 'scales' and 'sizes' must be given.");

        double[] scales;
        int[] outShape;
        if (scalesIn is not null)
        {
            scales = Expand(ReadScales(scalesIn, axes.Length), axes, rank, 1.0);
            outShape = SizesFromScales(x.Shape, scales);
        }
        else
        {
            (scales, outShape) = FromSizes(x.Shape, sizesIn!, axes);
        }

        double[]? roiStart = null, roiEnd = null;
        if (_settings.Transform == CoordinateTransform.TfCropAndResize)
        {
            if (roi is null) throw new ArgumentException("Resize: tf_crop_and_resize needs the 'roi' input.");
            var r = MiscTensors.ToDoubles(roi);
            if (r.Length != 2 * axes.Length)
                throw new ShapeMismatchException($"Resize: roi must have {2 * axes.Length} values, got {r.Length}.");
            roiStart = Expand(r[..axes.Length], axes, rank, 0.0);
            roiEnd = Expand(r[axes.Length..], axes, rank, 1.0);
            if (scalesIn is not null)
                for (int i = 0; i < rank; i++)
                    outShape[i] = CheckedSize(x.Shape[i] * (roiEnd[i] - roiStart[i]) * scales[i]);
        }
        return [ResizeKernel.Run(x, scales, outShape, roiStart, roiEnd, _settings)];
    }

    private (double[] Scales, int[] Shape) FromSizes(int[] inShape, Tensor sizesIn, int[] axes)
    {
        var sizes = sizesIn.ToInt64Array();
        if (sizes.Length != axes.Length)
            throw new ShapeMismatchException($"Resize: sizes must have {axes.Length} values, got {sizes.Length}.");
        int rank = inShape.Length;
        var outShape = (int[])inShape.Clone();
        var scales = new double[rank];
        Array.Fill(scales, 1.0);
        var dims = ShapeUtil.FromInt64(sizes);
        for (int i = 0; i < axes.Length; i++)
        {
            outShape[axes[i]] = dims[i];
            scales[axes[i]] = inShape[axes[i]] == 0 ? 1 : (double)dims[i] / inShape[axes[i]];
        }
        if (_aspectPolicy == 0) return (scales, outShape);
        double scale = _aspectPolicy == 1 ? double.MaxValue : double.MinValue;
        foreach (int ax in axes) scale = _aspectPolicy == 1 ? Math.Min(scale, scales[ax]) : Math.Max(scale, scales[ax]);
        foreach (int ax in axes)
        {
            scales[ax] = scale;
            outShape[ax] = CheckedSize(Math.Floor(scale * inShape[ax] + 0.5));
        }
        return (scales, outShape);
    }

    private int[] ResolveAxes(int rank)
    {
        if (_axes is null) return Enumerable.Range(0, rank).ToArray();
        var r = new int[_axes.Length];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = ShapeUtil.NormalizeAxis(_axes[i], rank);
            if (Array.IndexOf(r, r[i], 0, i) >= 0) throw new ArgumentException($"Resize: axis {_axes[i]} is repeated.");
        }
        return r;
    }

    private static Tensor? NonEmpty(Tensor? t) => t is { Length: > 0 } ? t : null;

    private static double[] ReadScales(Tensor scales, int count)
    {
        var s = MiscTensors.ToDoubles(scales);
        if (s.Length != count) throw new ShapeMismatchException($"Resize: scales must have {count} values, got {s.Length}.");
        foreach (double v in s)
            if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(nameof(scales), $"Resize: scale {v} must be positive and finite.");
        return s;
    }

    private static double[] Expand(double[] values, int[] axes, int rank, double fill)
    {
        var r = new double[rank];
        Array.Fill(r, fill);
        for (int i = 0; i < axes.Length; i++) r[axes[i]] = values[i];
        return r;
    }

    internal static int[] SizesFromScales(int[] inShape, double[] scales)
    {
        var r = new int[inShape.Length];
        for (int i = 0; i < r.Length; i++) r[i] = CheckedSize(inShape[i] * scales[i]);
        ShapeUtil.ElementCount(r);
        return r;
    }

    private static int CheckedSize(double v)
    {
        double f = Math.Floor(v);
        if (!(f >= 0) || f > Array.MaxLength) throw new TensorSizeException($"Resize: output dimension {v} is out of range.");
        return (int)f;
    }
}
