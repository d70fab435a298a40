using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// GridSample (opsets 16, 20, 22): samples X (N, C, D1..Dk) at the normalized locations of <c>grid</c>
/// (N, O1..Ok, k; the last axis lists coordinates innermost dimension first, in [-1, 1]) giving (N, C, O1..Ok).
/// mode nearest / linear (bilinear) / cubic (bicubic, Keys a = -0.75); padding_mode zeros / border / reflection
/// decides what out-of-range samples read; align_corners maps ±1 to the corner pixel centres instead of the image edges.
/// </summary>
internal sealed class GridSampleOp : TensorOp
{
    private const int MaxSpatialRank = 8;

    private enum Filter { Nearest, Linear, Cubic }
    private enum Padding { Zeros, Border, Reflection }

    private readonly Filter _mode;
    private readonly Padding _padding;
    private readonly bool _alignCorners;

    public GridSampleOp(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        int m = MiscTensors.Choice("GridSample", "mode", a.String("mode", ctx.Opset < 20 ? "bilinear" : "linear"),
            "nearest", "linear", "cubic", "bilinear", "bicubic");
        _mode = m switch { 0 => Filter.Nearest, 1 or 3 => Filter.Linear, _ => Filter.Cubic };
        _padding = (Padding)MiscTensors.Choice("GridSample", "padding_mode", a.String("padding_mode", "zeros"), "zeros", "border", "reflection");
        _alignCorners = a.Int("align_corners", 0) != 0;
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var grid = inputs.Req(1);
        int k = x.Rank - 2;
        if (k < 1 || k > MaxSpatialRank)
            throw new ShapeMismatchException($"GridSample: X must have rank 3 to {MaxSpatialRank + 2}, got shape {ShapeUtil.Format(x.Shape)}.");
        if (grid.Rank != k + 2 || grid.Shape[0] != x.Shape[0] || grid.Shape[^1] != k)
            throw new ShapeMismatchException(
                $"GridSample: grid shape {ShapeUtil.Format(grid.Shape)} does not match X shape {ShapeUtil.Format(x.Shape)} (expected [N, ..., {k}]).");
        if (!DataTypes.IsFloatingPoint(x.DataType) || !DataTypes.IsFloatingPoint(grid.DataType))
            throw new NotSupportedException("GridSample: X and grid must be floating point.");

        int n = x.Shape[0], c = x.Shape[1];
        var dims = x.Shape[2..];
        int plane = ShapeUtil.ElementCount(dims);
        var outSpatial = grid.Shape[1..^1];
        int outPlane = ShapeUtil.ElementCount(outSpatial);
        var outShape = new int[k + 2];
        outShape[0] = n;
        outShape[1] = c;
        outSpatial.CopyTo(outShape, 2);
        long total = (long)n * c * outPlane;
        TensorLimits.CheckAllocation(total, DataType.Double);

        var src = MiscTensors.ToDoubles(x);
        var g = MiscTensors.ToDoubles(grid);
        var result = new double[total];
        var strides = ShapeUtil.Strides(dims);
        var taps = new TapSet(k, _mode == Filter.Nearest ? 1 : _mode == Filter.Linear ? 2 : 4);
        var coord = new double[k];
        for (int b = 0; b < n; b++)
            for (int p = 0; p < outPlane; p++)
            {
                int gBase = (b * outPlane + p) * k;
                for (int d = 0; d < k; d++)
                    coord[d] = Denormalize(g[gBase + k - 1 - d], dims[d]);
                BuildTaps(coord, dims, strides, taps);
                for (int ch = 0; ch < c; ch++)
                {
                    int srcBase = (b * c + ch) * plane;
                    double sum = 0;
                    for (int t = 0; t < taps.Count; t++) sum += taps.Weights[t] * src[srcBase + taps.Offsets[t]];
                    result[(b * c + ch) * outPlane + p] = sum;
                }
            }
        return [MiscTensors.FromDoubles(result, x.DataType, outShape)];
    }

    /// <summary>Grid value to pixel coordinate, rounded through float32 like the reference.</summary>
    private double Denormalize(double v, int size) =>
        (float)(_alignCorners ? (v + 1) / 2 * (size - 1) : ((v + 1) * size - 1) / 2);

    private void BuildTaps(double[] coord, int[] dims, int[] strides, TapSet taps)
    {
        int k = coord.Length;
        Span<double> w = stackalloc double[4];
        for (int d = 0; d < k; d++)
        {
            double lo = _alignCorners ? 0 : -0.5, hi = _alignCorners ? dims[d] - 1 : dims[d] - 0.5;
            double v = coord[d];
            if (_mode == Filter.Nearest)
                v = Math.Round(v, MidpointRounding.ToEven);
            if (v < lo || v > hi)
            {
                if (_padding == Padding.Border) v = Math.Clamp(v, 0, dims[d] - 1);
                else if (_padding == Padding.Reflection) v = Reflect(v, lo, hi);
            }
            int first;
            int count;
            if (_mode == Filter.Nearest)
            {
                first = (int)Math.Clamp(Math.Truncate(v), int.MinValue / 2, int.MaxValue / 2);
                w[0] = 1;
                count = 1;
            }
            else
            {
                double f = Math.Floor(v);
                double r = v - f;
                int i0 = (int)Math.Clamp(f, int.MinValue / 2, int.MaxValue / 2);
                if (_mode == Filter.Linear)
                {
                    first = i0;
                    w[0] = 1 - r;
                    w[1] = r;
                    count = 2;
                }
                else
                {
                    first = i0 - 1;
                    for (int t = 0; t < 4; t++) w[t] = Cubic(t - 1 - r);
                    count = 4;
                }
            }
            taps.SetAxis(d, count);
            for (int t = 0; t < count; t++)
            {
                int idx = PixelIndex(first + t, dims[d], lo, hi);
                taps.AxisIndex[d, t] = idx;
                taps.AxisWeight[d, t] = idx < 0 ? 0 : w[t];
            }
        }
        taps.Combine(strides);
    }

    /// <summary>Where an integer tap reads from, or -1 when it reads the zero padding.</summary>
    private int PixelIndex(int i, int size, double lo, double hi)
    {
        if (i >= 0 && i < size) return i;
        return _padding switch
        {
            Padding.Zeros => -1,
            Padding.Border => Math.Clamp(i, 0, size - 1),
            _ => Math.Clamp((int)Reflect(i, lo, hi), 0, size - 1),
        };
    }

    /// <summary>Reflects a coordinate at the borders until it lies inside [lo, hi].</summary>
    private static double Reflect(double v, double lo, double hi)
    {
        double range = hi - lo;
        if (range <= 0) return lo;
        if (v < lo)
        {
            double dx = lo - v;
            double m = Math.Floor(dx / range);
            double r = dx - m * range;
            return m % 2 == 0 ? lo + r : hi - r;
        }
        if (v > hi)
        {
            double dx = v - hi;
            double m = Math.Floor(dx / range);
            double r = dx - m * range;
            return m % 2 == 0 ? hi - r : lo + r;
        }
        return v;
    }

    private static double Cubic(double x)
    {
        const double a = -0.75;
        x = Math.Abs(x);
        if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }

    /// <summary>Per-axis taps of one sample point and their tensor product as flat offsets and weights.</summary>
    private sealed class TapSet
    {
        private readonly int[] _counts;

        public TapSet(int rank, int perAxis)
        {
            _counts = new int[rank];
            AxisIndex = new int[rank, perAxis];
            AxisWeight = new double[rank, perAxis];
            int max = 1;
            for (int i = 0; i < rank; i++) max *= perAxis;
            Offsets = new int[max];
            Weights = new double[max];
        }

        public int[,] AxisIndex { get; }
        public double[,] AxisWeight { get; }
        public int[] Offsets { get; }
        public double[] Weights { get; }
        public int Count { get; private set; }

        public void SetAxis(int d, int count) => _counts[d] = count;

        public void Combine(int[] strides)
        {
            Count = 1;
            Offsets[0] = 0;
            Weights[0] = 1;
            for (int d = 0; d < _counts.Length; d++)
            {
                int prev = Count;
                // Expand in place from the back so earlier products are read before being overwritten.
                for (int i = prev - 1; i >= 0; i--)
                    for (int t = _counts[d] - 1; t >= 0; t--)
                    {
                        int idx = AxisIndex[d, t];
                        int slot = i * _counts[d] + t;
                        Weights[slot] = Weights[i] * AxisWeight[d, t];
                        Offsets[slot] = Offsets[i] + (idx < 0 ? 0 : idx * strides[d]);
                    }
                Count = prev * _counts[d];
            }
        }
    }
}
