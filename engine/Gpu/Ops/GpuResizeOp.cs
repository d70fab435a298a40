using NativeInfer.Kernels.Gpu.Data;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Resize (opset ≥ 11), float32, nearest or linear without antialias, every coordinate transform but
/// tf_crop_and_resize, resizing the last two axes (scales or sizes, axes, keep_aspect_ratio_policy resolved on the host
/// as the CPU op does), on <see cref="GpuResize"/>. The per-axis tables follow the ONNX definition (the same rules as
/// the CPU op's taps: input coordinate by the transform, left neighbour = ceil(x) − 1, nearest rounding on the
/// fraction) and are uploaded per run (they depend on the run's shapes).
/// </summary>
public static class GpuResizeOps
{
    private static readonly string[] Transforms =
        ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"];

    public static void Register(GpuOpTable t) => t.Register("Resize", ctx =>
    {
        var a = ctx.Attributes;
        if (ctx.Build.Opset < 11 || !ctx.InputIs(0, DataType.Float) || a.Int("antialias", 0) != 0) return null;
        string mode = a.String("mode", "nearest");
        if (mode is not ("nearest" or "linear")) return null;
        int transform = Array.IndexOf(Transforms, a.String("coordinate_transformation_mode", "half_pixel"));
        int rounding = Array.IndexOf(["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"], a.String("nearest_mode", "round_prefer_floor"));
        int policy = Array.IndexOf(["stretch", "not_larger", "not_smaller"], a.String("keep_aspect_ratio_policy", "stretch"));
        if (transform < 0 || rounding < 0 || policy < 0) return null;
        return new GpuResizeOp(mode == "linear", transform, rounding, policy, a.Ints("axes"));
    });
}

/// <summary>See <see cref="GpuResizeOps"/>.</summary>
internal sealed class GpuResizeOp(bool linear, int transform, int rounding, int policy, long[]? axesAttr) : GpuOp
{
    private const int HalfPixel = 0, HalfPixelSymmetric = 1, PytorchHalfPixel = 2, AlignCorners = 3, Asymmetric = 4, TfHalfPixelForNn = 5;

    public override bool ReadsOnHost(int i) => i > 0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        if (rank < 2) throw new NotSupportedException("Resize on the GPU needs an input of rank ≥ 2.");
        var axes = new int[axesAttr?.Length ?? rank];
        for (int i = 0; i < axes.Length; i++)
        {
            axes[i] = axesAttr is null ? i : ShapeUtil.NormalizeAxis(axesAttr[i], rank);
            if (Array.IndexOf(axes, axes[i], 0, i) >= 0) throw new ArgumentException($"Resize: axis {axesAttr![i]} is repeated.");
        }
        var scalesIn = inputs.Host(2) is { Length: > 0 } s ? s : null;
        var sizesIn = inputs.Host(3) is { Length: > 0 } z ? z : null;
        if ((scalesIn is null) == (sizesIn is null)) throw new ArgumentException("Resize: exactly one of 'scales' and 'sizes' must be given.");
        var scales = new double[rank];
        Array.Fill(scales, 1.0);
        var outShape = (int[])x.Shape.Clone();
        if (scalesIn is not null)
        {
            if (scalesIn.Length != axes.Length) throw new ShapeMismatchException($"Resize: scales must have {axes.Length} values, got {scalesIn.Length}.");
            for (int i = 0; i < axes.Length; i++)
            {
                double v = scalesIn.GetDouble(i);
                if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(nameof(inputs), $"Resize: scale {v} must be positive and finite.");
                scales[axes[i]] = v;
            }
            for (int d = 0; d < rank; d++) outShape[d] = Size(x.Shape[d] * scales[d]);
        }
        else
        {
            var sizes = sizesIn!.ToInt64Array();
            if (sizes.Length != axes.Length) throw new ShapeMismatchException($"Resize: sizes must have {axes.Length} values, got {sizes.Length}.");
            for (int i = 0; i < axes.Length; i++)
            {
                if (sizes[i] is < 0 or > int.MaxValue) throw new ArgumentException($"Resize: invalid size {sizes[i]}.");
                outShape[axes[i]] = (int)sizes[i];
                scales[axes[i]] = x.Shape[axes[i]] == 0 ? 1 : (double)sizes[i] / x.Shape[axes[i]];
            }
            if (policy != 0)
            {
                double scale = policy == 1 ? double.MaxValue : double.MinValue;
                foreach (int ax in axes) scale = policy == 1 ? Math.Min(scale, scales[ax]) : Math.Max(scale, scales[ax]);
                foreach (int ax in axes)
                {
                    scales[ax] = scale;
                    outShape[ax] = Size(Math.Floor(scale * x.Shape[ax] + 0.5));
                }
            }
        }
        int planes = 1;
        for (int d = 0; d < rank - 2; d++)
        {
            if (outShape[d] != x.Shape[d] || scales[d] != 1)
                throw new NotSupportedException("Resize on the GPU resizes only the last two axes.");
            planes *= x.Shape[d];
        }
        int inH = x.Shape[rank - 2], inW = x.Shape[rank - 1], outH = outShape[rank - 2], outW = outShape[rank - 1];
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        if (inH == 0 || inW == 0) throw new ArgumentException("Resize of an empty input to a non-empty output.");
        var (rows, rowW) = Taps(inH, outH, scales[rank - 2]);
        var (cols, colW) = Taps(inW, outW, scales[rank - 1]);
        var kernel = ctx.Device.Kernel(typeof(GpuResize), acc => new GpuResize(acc));
        var r = ctx.Upload(new Tensor<int>(rows, [rows.Length]));
        var c = ctx.Upload(new Tensor<int>(cols, [cols.Length]));
        if (!linear)
        {
            kernel.Nearest(ctx.Stream, x.Float, y.Float, planes, inH, inW, outH, outW, Ints(r), Ints(c));
        }
        else
        {
            var rw = ctx.Upload(new Tensor<float>(rowW, [rowW.Length]));
            var cw = ctx.Upload(new Tensor<float>(colW, [colW.Length]));
            kernel.Linear(ctx.Stream, x.Float, y.Float, planes, inH, inW, outH, outW, Ints(r), rw.Float, Ints(c), cw.Float);
            ctx.Free(rw);
            ctx.Free(cw);
        }
        ctx.Free(r);
        ctx.Free(c);
        return [y];
    }

    private static ILGPU.ArrayView<int> Ints(GpuTensor t) => t.Raw.Cast<int>().SubView(0, t.Length);

    private static int Size(double v)
    {
        double f = Math.Floor(v);
        if (!(f >= 0) || f > Array.MaxLength) throw new TensorSizeException($"Resize: output dimension {v} is out of range.");
        return (int)f;
    }

    /// <summary>Nearest: one index per output position; linear: two (index, weight) pairs per position, interleaved.</summary>
    private (int[] Index, float[] Weight) Taps(int inLen, int outLen, double scale)
    {
        int per = linear ? 2 : 1;
        var idx = new int[outLen * per];
        var w = new float[outLen * per];
        bool identity = outLen == inLen && scale == 1;
        for (int j = 0; j < outLen; j++)
        {
            if (identity)
            {
                for (int t = 0; t < per; t++) idx[j * per + t] = j;
                w[j * per] = 1;
                continue;
            }
            double xo = Coordinate(j, inLen, outLen, scale);
            if (double.IsNaN(xo)) throw new ArgumentException("Resize: a coordinate is NaN.");
            double baseD = Math.Ceiling(xo) - 1, ratio = xo - baseD;
            long b = (long)Math.Clamp(baseD, -(long)int.MaxValue / 2, int.MaxValue / 2);
            int Clamp(long v) => (int)Math.Clamp(v, 0, inLen - 1);
            if (!linear)
            {
                bool right = ratio == 1 || rounding switch { 0 => ratio > 0.5, 1 => ratio >= 0.5, 2 => false, _ => true };
                idx[j] = Clamp(b + (right ? 1 : 0));
            }
            else
            {
                idx[2 * j] = Clamp(b);
                idx[2 * j + 1] = Clamp(b + 1);
                w[2 * j] = (float)(1 - ratio);
                w[2 * j + 1] = (float)ratio;
            }
        }
        return (idx, w);
    }

    private double Coordinate(int j, int inLen, int outLen, double scale)
    {
        double outF = scale * inLen;
        switch (transform)
        {
            case AlignCorners: return outF == 1 ? 0 : j * (inLen - 1) / (outF - 1);
            case Asymmetric: return j / scale;
            case TfHalfPixelForNn: return (j + 0.5) / scale;
            case PytorchHalfPixel: return outF == 1 ? -0.5 : (j + 0.5) / scale - 0.5;
            case HalfPixelSymmetric:
                double adjustment = outLen / outF;
                return inLen / 2.0 * (1 - adjustment) + (j + 0.5) / scale - 0.5;
            default: return (j + 0.5) / scale - 0.5;
        }
    }
}
