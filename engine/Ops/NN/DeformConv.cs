using System.Numerics;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// DeformConv (2-D): a convolution whose sampling points are shifted by learned offsets [N, offset_group·kH·kW·2,
/// oH, oW] (dy, dx per kernel tap) and optionally scaled by a mask [N, offset_group·kH·kW, oH, oW]. Samples are
/// bilinear, reading zero outside the input. Columns are built per batch item, then multiplied by W per group.
/// </summary>
internal sealed class DeformConv(ConvAttributes attrs, int offsetGroups) : TensorOp
{
    public static DeformConv Create(OpBuildContext ctx)
    {
        long og = ctx.Attributes.Int("offset_group", 1);
        if (og < 1) throw new NotSupportedException($"DeformConv offset_group must be positive, got {og}.");
        return new DeformConv(new ConvAttributes(ctx.Attributes), (int)og);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var w = inputs.Req(1);
        var offset = inputs.Req(2);
        var b = inputs.Opt(3);
        var mask = inputs.Opt(4);
        if (x.Rank != 4) throw new NotSupportedException($"DeformConv supports 2-D inputs only, got {ShapeUtil.Format(x.Shape)}.");
        var window = ConvKernel.ForwardGeometry(x.Shape, w.Shape, attrs);
        var g = window.Geometry;
        int n = x.Shape[0], c = x.Shape[1], taps = g.KernelSize;
        if (c % offsetGroups != 0) throw new ShapeMismatchException($"DeformConv: {c} channels do not split into {offsetGroups} offset groups.");
        int[] wantOffset = [n, offsetGroups * taps * 2, .. g.Output];
        if (!offset.Shape.AsSpan().SequenceEqual(wantOffset))
            throw new ShapeMismatchException($"DeformConv offset {ShapeUtil.Format(offset.Shape)} must be {ShapeUtil.Format(wantOffset)}.");
        int[] wantMask = [n, offsetGroups * taps, .. g.Output];
        if (mask is not null && !mask.Shape.AsSpan().SequenceEqual(wantMask))
            throw new ShapeMismatchException($"DeformConv mask {ShapeUtil.Format(mask.Shape)} must be {ShapeUtil.Format(wantMask)}.");
        var type = x.DataType;
        if (!DataTypes.IsFloatingPoint(type)) throw new NotSupportedException($"DeformConv does not support {DataTypes.Name(type)}.");
        var y = Dispatch.Numeric<Body, Tensor>(FloatWidening.IsNarrow(type) ? DataType.Float : type, new Body(
            FloatWidening.Widen(x), FloatWidening.Widen(w), QuantRange.ToDoubles(offset), mask is null ? null : QuantRange.ToDoubles(mask),
            b is null ? null : FloatWidening.Widen(b), g, (int)attrs.Group, offsetGroups));
        return [FloatWidening.Narrow(y, type)];
    }

    private readonly struct Body(Tensor x, Tensor w, double[] offset, double[]? mask, Tensor? bias,
        Kernels.Cpu.SpatialGeometry g, int group, int offsetGroups) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], m = w.Shape[0];
            int kh = g.Kernel[0], kw = g.Kernel[1], oh = g.Output[0], ow = g.Output[1], taps = kh * kw, outSize = oh * ow;
            int cg = c / group, mg = m / group, cPerOffset = c / offsetGroups;
            var y = new Tensor<T>([n, m, oh, ow]);
            var xs = x.As<T>().Span;
            TensorLimits.CheckAllocation((long)c * taps * outSize, DataTypes.Of<T>());
            var cols = new T[c * taps * outSize];
            for (int b = 0; b < n; b++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    int og = ch / cPerOffset;
                    var plane = xs.Slice((b * c + ch) * h * wd, h * wd);
                    for (int t = 0; t < taps; t++)
                    {
                        int ki = t / kw, kj = t % kw;
                        long offY = ((long)(b * offsetGroups + og) * taps * 2 + 2 * t) * outSize;
                        long offX = offY + outSize;
                        long maskAt = ((long)(b * offsetGroups + og) * taps + t) * outSize;
                        long colAt = ((long)ch * taps + t) * outSize;
                        for (int p = 0; p < outSize; p++)
                        {
                            int oy = p / ow, ox = p % ow;
                            double sy = oy * g.Strides[0] - g.PadBegin[0] + ki * g.Dilations[0] + offset[offY + p];
                            double sx = ox * g.Strides[1] - g.PadBegin[1] + kj * g.Dilations[1] + offset[offX + p];
                            double v = Bilinear(plane, h, wd, sy, sx);
                            if (mask is not null) v *= mask[maskAt + p];
                            cols[colAt + p] = T.CreateTruncating(v);
                        }
                    }
                }
                for (int gi = 0; gi < group; gi++)
                    MatMulKernel.Gemm(false, false, mg, outSize, cg * taps, w.As<T>().Span.Slice(gi * mg * cg * taps, mg * cg * taps), cg * taps,
                        cols.AsSpan(gi * cg * taps * outSize, cg * taps * outSize), outSize,
                        y.Span.Slice((b * m + gi * mg) * outSize, mg * outSize), outSize);
            }
            ConvKernel.AddBias(y, bias?.As<T>());
            return y;
        }

        private static double Bilinear<T>(ReadOnlySpan<T> plane, int h, int w, double y, double x) where T : unmanaged, INumber<T>
        {
            if (!(y > -1 && y < h && x > -1 && x < w)) return 0;
            int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
            double ly = y - y0, lx = x - x0;
            double v = 0;
            for (int dy = 0; dy < 2; dy++)
            {
                int yy = y0 + dy;
                if ((uint)yy >= (uint)h) continue;
                double wy = dy == 0 ? 1 - ly : ly;
                for (int dx = 0; dx < 2; dx++)
                {
                    int xx = x0 + dx;
                    if ((uint)xx >= (uint)w) continue;
                    v += wy * (dx == 0 ? 1 - lx : lx) * double.CreateTruncating(plane[yy * w + xx]);
                }
            }
            return v;
        }
    }
}
