using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// RoiAlign: for each region (x1, y1, x2, y2)·spatial_scale of rois [R, 4] on image batch_indices[r] of X [N, C, H, W],
/// an output_height × output_width grid of bins, each the average (mode avg) or maximum (mode max, of the
/// weighted corner terms) of sampling_ratio² bilinear samples (adaptive ⌈roi/bins⌉ when 0). half_pixel shifts the
/// region by −0.5 (the default from opset 16; opset 10 behaves as output_half_pixel).
/// </summary>
internal sealed class RoiAlign(bool halfPixel, bool max, int outH, int outW, int samplingRatio, double spatialScale) : TensorOp
{
    public static RoiAlign Create(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        string ctm = a.String("coordinate_transformation_mode", ctx.Opset >= 16 ? "half_pixel" : "output_half_pixel");
        bool halfPixel = ctm switch
        {
            "half_pixel" => true,
            "output_half_pixel" => false,
            _ => throw new NotSupportedException($"RoiAlign coordinate_transformation_mode '{ctm}' is not supported."),
        };
        string mode = a.String("mode", "avg");
        if (mode is not ("avg" or "max")) throw new NotSupportedException($"RoiAlign mode '{mode}' is not supported.");
        long oh = a.Int("output_height", 1), ow = a.Int("output_width", 1), sr = a.Int("sampling_ratio", 0);
        if (oh < 1 || ow < 1 || oh > 1 << 16 || ow > 1 << 16) throw new NotSupportedException("RoiAlign output size must be positive.");
        if (sr < 0 || sr > 1 << 16) throw new NotSupportedException("RoiAlign sampling_ratio must be non-negative.");
        return new RoiAlign(halfPixel, mode == "max", (int)oh, (int)ow, (int)sr, a.Float("spatial_scale", 1f));
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var rois = inputs.Req(1);
        var batch = inputs.Req(2).ToInt64Array();
        if (x.Rank != 4) throw new ShapeMismatchException($"RoiAlign input must be 4-D, got {ShapeUtil.Format(x.Shape)}.");
        if (rois.Rank != 2 || rois.Shape[1] != 4 || rois.Shape[0] != batch.Length)
            throw new ShapeMismatchException($"RoiAlign rois {ShapeUtil.Format(rois.Shape)} must be [{batch.Length}, 4].");
        if (!DataTypes.IsFloatingPoint(x.DataType)) throw new NotSupportedException($"RoiAlign does not support {DataTypes.Name(x.DataType)}.");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], r = batch.Length;
        var xs = QuantRange.ToDoubles(x);
        var rs = QuantRange.ToDoubles(rois);
        var y = Tensor.Create(x.DataType, [r, c, outH, outW]);
        var bins = new double[outH * outW];
        for (int i = 0; i < r; i++)
        {
            if ((ulong)batch[i] >= (ulong)n) throw new ArgumentOutOfRangeException(nameof(inputs), $"RoiAlign batch index {batch[i]} is out of range.");
            double off = halfPixel ? 0.5 : 0;
            double x1 = rs[i * 4] * spatialScale - off, y1 = rs[i * 4 + 1] * spatialScale - off;
            double rw = rs[i * 4 + 2] * spatialScale - off - x1, rh = rs[i * 4 + 3] * spatialScale - off - y1;
            if (!halfPixel)
            {
                rw = Math.Max(rw, 1);
                rh = Math.Max(rh, 1);
            }
            double binH = rh / outH, binW = rw / outW;
            int gridH = samplingRatio > 0 ? samplingRatio : (int)Math.Min(1 << 16, Math.Max(0, Math.Ceiling(rh / outH)));
            int gridW = samplingRatio > 0 ? samplingRatio : (int)Math.Min(1 << 16, Math.Max(0, Math.Ceiling(rw / outW)));
            if ((long)gridH * gridW > 1 << 20)
                throw new ArgumentException($"RoiAlign region {i} needs {gridH}x{gridW} samples per bin; the limit is 2^20.");
            for (int ch = 0; ch < c; ch++)
            {
                var plane = xs.AsSpan((int)((batch[i] * c + ch) * h * w), h * w);
                for (int ph = 0; ph < outH; ph++)
                    for (int pw = 0; pw < outW; pw++)
                        bins[ph * outW + pw] = Bin(plane, h, w, y1 + ph * binH, x1 + pw * binW, binH, binW, gridH, gridW);
                int at = (i * c + ch) * outH * outW;
                for (int k = 0; k < bins.Length; k++) y.SetDouble(at + k, bins[k]);
            }
        }
        return [y];
    }

    private double Bin(ReadOnlySpan<double> plane, int h, int w, double top, double left, double binH, double binW, int gridH, int gridW)
    {
        double acc = 0;
        bool any = false;
        for (int iy = 0; iy < gridH; iy++)
        {
            double sy = top + (iy + 0.5) * binH / gridH;
            for (int ix = 0; ix < gridW; ix++)
            {
                double sx = left + (ix + 0.5) * binW / gridW;
                double v = Sample(plane, h, w, sy, sx);
                if (!max) acc += v;
                else if (!any || v > acc) acc = v;
                any = true;
            }
        }
        return max ? acc : acc / Math.Max(gridH * gridW, 1);
    }

    /// <summary>Bilinear sample (zero outside [−1, size]); in max mode the largest of the four weighted corner terms.</summary>
    private double Sample(ReadOnlySpan<double> plane, int h, int w, double y, double x)
    {
        if (y < -1 || y > h || x < -1 || x > w) return 0;
        y = Math.Max(y, 0);
        x = Math.Max(x, 0);
        int y0 = (int)y, x0 = (int)x, y1, x1;
        if (y0 >= h - 1) { y0 = y1 = h - 1; y = y0; } else y1 = y0 + 1;
        if (x0 >= w - 1) { x0 = x1 = w - 1; x = x0; } else x1 = x0 + 1;
        double ly = y - y0, lx = x - x0, hy = 1 - ly, hx = 1 - lx;
        double a = hy * hx * plane[y0 * w + x0], b = hy * lx * plane[y0 * w + x1];
        double c = ly * hx * plane[y1 * w + x0], d = ly * lx * plane[y1 * w + x1];
        return max ? Math.Max(Math.Max(a, b), Math.Max(c, d)) : a + b + c + d;
    }
}
