using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// The separable N-D resampler behind Resize and Upsample. Each resized axis gets a table of taps (input index, weight)
/// per output position, computed once; the data is then filtered one axis at a time in a double working buffer, which
/// is the same as evaluating the nested 1-D interpolations of the ONNX definition.
/// </summary>
internal static class ResizeKernel
{
    /// <summary>
    /// Resizes <paramref name="x"/> to <paramref name="outShape"/>. <paramref name="scales"/> has one factor per axis
    /// (used by the coordinate transform); <paramref name="roiStart"/>/<paramref name="roiEnd"/> are per axis and only
    /// read by tf_crop_and_resize.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Run(Tensor x, double[] scales, int[] outShape, double[]? roiStart, double[]? roiEnd, ResizeSettings s)
    {
        int rank = x.Rank;
        ShapeUtil.ElementCount(outShape);
        if (TryFloat2D(x, scales, outShape, s) is { } fast) return fast;
        var shape = (int[])x.Shape.Clone();
        double[] data = MiscTensors.ToDoubles(x);
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            double r0 = roiStart?[axis] ?? 0, r1 = roiEnd?[axis] ?? 1;
            bool cropped = s.Transform == CoordinateTransform.TfCropAndResize && (r0 != 0 || r1 != 1);
            if (outShape[axis] == shape[axis] && scales[axis] == 1 && !cropped) continue;
            var taps = AxisTaps.Build(shape[axis], outShape[axis], scales[axis], r0, r1, s);
            data = Filter(data, shape, axis, taps, s.Extrapolation);
            shape[axis] = outShape[axis];
        }
        return MiscTensors.FromDoubles(data, x.DataType, outShape);
    }

    /// <summary>
    /// The float32 fast path: nearest, or linear without a widened (antialias) filter, resizing only the last two axes,
    /// any coordinate transform but tf_crop_and_resize. The per-axis tables are the same taps the general path builds
    /// (so rounding and transforms agree), narrowed to float; null when the case is not covered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor? TryFloat2D(Tensor x, double[] scales, int[] outShape, ResizeSettings s)
    {
        int rank = x.Rank;
        if (x.DataType != DataType.Float || rank < 2 || s.Transform == CoordinateTransform.TfCropAndResize) return null;
        if (s.Mode == ResizeMode.Cubic || s.Mode == ResizeMode.Linear && s.Antialias && (scales[rank - 2] < 1 || scales[rank - 1] < 1))
            return null;
        int planes = 1;
        for (int d = 0; d < rank - 2; d++)
        {
            if (outShape[d] != x.Shape[d] || scales[d] != 1) return null;
            planes *= x.Shape[d];
        }
        int inH = x.Shape[rank - 2], inW = x.Shape[rank - 1], outH = outShape[rank - 2], outW = outShape[rank - 1];
        if (inH == 0 || inW == 0) return null;
        int taps = s.Mode == ResizeMode.Nearest ? 1 : 2;
        // an axis left as it is is not filtered at all (as in Run), whatever the transform would map it to
        var ty = outH == inH && scales[rank - 2] == 1 ? AxisTaps.Identity(inH, taps) : AxisTaps.Build(inH, outH, scales[rank - 2], 0, 1, s);
        var tx = outW == inW && scales[rank - 1] == 1 ? AxisTaps.Identity(inW, taps) : AxisTaps.Build(inW, outW, scales[rank - 1], 0, 1, s);
        if (!Uniform(ty, taps) || !Uniform(tx, taps)) return null;
        var y = Tensor<float>.Uninitialized(outShape);
        var xs = x.As<float>().Span;
        if (taps == 1)
        {
            ResizeKernels.Nearest2D(xs, y.Span, planes, inH, inW, outH, outW, ty.Indices, tx.Indices);
            return y;
        }
        var (r0, r1, wy0, wy1) = Split(ty);
        var (c0, c1, wx0, wx1) = Split(tx);
        ResizeKernels.Linear2D(xs, y.Span, planes, inH, inW, outH, outW, r0, r1, wy0, wy1, c0, c1, wx0, wx1);
        return y;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static bool Uniform(AxisTaps t, int taps)
        {
            if (t.Indices.Length != t.OutLength * taps) return false;
            for (int j = 0; j < t.OutLength; j++)
                if (t.Extrapolate[j] || t.Offsets[j + 1] - t.Offsets[j] != taps) return false;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static (int[] I0, int[] I1, float[] W0, float[] W1) Split(AxisTaps t)
        {
            int n = t.OutLength;
            var i0 = new int[n];
            var i1 = new int[n];
            var w0 = new float[n];
            var w1 = new float[n];
            for (int j = 0; j < n; j++)
            {
                i0[j] = t.Indices[2 * j];
                i1[j] = t.Indices[2 * j + 1];
                w0[j] = (float)t.Weights[2 * j];
                w1[j] = (float)t.Weights[2 * j + 1];
            }
            return (i0, i1, w0, w1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Filter(double[] src, int[] shape, int axis, AxisTaps taps, double extrapolation)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        int inLen = shape[axis], outLen = taps.OutLength;
        long total = (long)outer * outLen * inner;
        TensorLimits.CheckAllocation(total, DataType.Double);
        var dst = new double[total];
        for (int o = 0; o < outer; o++)
        {
            int srcBase = o * inLen * inner, dstBase = o * outLen * inner;
            for (int j = 0; j < outLen; j++)
            {
                var d = dst.AsSpan(dstBase + j * inner, inner);
                if (taps.Extrapolate[j])
                {
                    d.Fill(extrapolation);
                    continue;
                }
                for (int t = taps.Offsets[j]; t < taps.Offsets[j + 1]; t++)
                {
                    double w = taps.Weights[t];
                    if (w == 0) continue;
                    var sv = src.AsSpan(srcBase + taps.Indices[t] * inner, inner);
                    for (int k = 0; k < d.Length; k++) d[k] += w * sv[k];
                }
            }
        }
        return dst;
    }

    /// <summary>Per output position of one axis: the input indices and weights it reads, or "extrapolate".</summary>
    private sealed class AxisTaps
    {
        public required int OutLength { get; init; }
        public required int[] Offsets { get; init; }
        public required int[] Indices { get; init; }
        public required double[] Weights { get; init; }
        public required bool[] Extrapolate { get; init; }

        /// <summary>Taps that copy the axis: output j reads input j (the first of <paramref name="taps"/> taps weighs 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static AxisTaps Identity(int length, int taps)
        {
            var offsets = new int[length + 1];
            var indices = new int[length * taps];
            var weights = new double[length * taps];
            for (int j = 0; j < length; j++)
            {
                offsets[j + 1] = (j + 1) * taps;
                for (int t = 0; t < taps; t++) indices[j * taps + t] = j;
                weights[j * taps] = 1;
            }
            return new AxisTaps { OutLength = length, Offsets = offsets, Indices = indices, Weights = weights, Extrapolate = new bool[length] };
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static AxisTaps Build(int inLen, int outLen, double scale, double roiStart, double roiEnd, ResizeSettings s)
        {
            var offsets = new int[outLen + 1];
            var extrapolate = new bool[outLen];
            var indices = new List<int>(outLen * 4);
            var weights = new List<double>(outLen * 4);
            var coeffs = new List<double>();
            for (int j = 0; j < outLen; j++)
            {
                offsets[j] = indices.Count;
                double xo = InputCoordinate(j, inLen, outLen, scale, roiStart, roiEnd, s.Transform);
                if (s.Transform == CoordinateTransform.TfCropAndResize && (xo < 0 || xo > inLen - 1) || double.IsNaN(xo))
                {
                    extrapolate[j] = true;
                    continue;
                }
                // The left neighbour is the largest index strictly below xo, so ratio lies in (0, 1].
                double baseD = Math.Ceiling(xo) - 1;
                double ratio = xo - baseD;
                int first = Coefficients(ratio, scale, s, coeffs);
                long b = (long)Math.Clamp(baseD, -(long)int.MaxValue / 2, int.MaxValue / 2);
                double sum = 0;
                for (int t = 0; t < coeffs.Count; t++)
                {
                    long idx = b + first + t;
                    double w = coeffs[t];
                    if (s.ExcludeOutside && (idx < 0 || idx >= inLen)) w = 0;
                    sum += w;
                    indices.Add((int)Math.Clamp(idx, 0, inLen - 1));
                    weights.Add(w);
                }
                if (s.ExcludeOutside && sum != 0)
                    for (int t = offsets[j]; t < weights.Count; t++) weights[t] /= sum;
            }
            offsets[outLen] = indices.Count;
            return new AxisTaps
            {
                OutLength = outLen, Offsets = offsets, Indices = indices.ToArray(), Weights = weights.ToArray(),
                Extrapolate = extrapolate,
            };
        }

        private static double InputCoordinate(int j, int inLen, int outLen, double scale, double r0, double r1, CoordinateTransform t)
        {
            double outF = scale * inLen;
            switch (t)
            {
                case CoordinateTransform.AlignCorners:
                    return outF == 1 ? 0 : j * (inLen - 1) / (outF - 1);
                case CoordinateTransform.Asymmetric:
                    return j / scale;
                case CoordinateTransform.TfHalfPixelForNn:
                    return (j + 0.5) / scale;
                case CoordinateTransform.PytorchHalfPixel:
                    return outF == 1 ? -0.5 : (j + 0.5) / scale - 0.5;
                case CoordinateTransform.HalfPixelSymmetric:
                    double adjustment = outLen / outF;
                    double offset = inLen / 2.0 * (1 - adjustment);
                    return offset + (j + 0.5) / scale - 0.5;
                case CoordinateTransform.TfCropAndResize:
                    double span = (r1 - r0) * (inLen - 1);
                    return r0 * (inLen - 1) + (outF == 1 ? span / 2 : j * span / (outF - 1));
                default:
                    return (j + 0.5) / scale - 0.5;
            }
        }

        /// <summary>Fills the filter taps for a fractional position; returns the offset of the first tap from the left neighbour.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Coefficients(double ratio, double scale, ResizeSettings s, List<double> c)
        {
            c.Clear();
            switch (s.Mode)
            {
                case ResizeMode.Nearest:
                    c.Add(1);
                    return NearestTakesRight(ratio, scale, s.Rounding) ? 1 : 0;
                case ResizeMode.Linear when !s.Antialias || scale >= 1:
                    c.Add(1 - ratio);
                    c.Add(ratio);
                    return 0;
                case ResizeMode.Linear:
                {
                    int start = (int)Math.Floor(-1 / scale) + 1;
                    for (int i = start; i <= 1 - start; i++) c.Add(Math.Clamp(1 - Math.Abs((i - ratio) * scale), 0, 1));
                    Normalize(c);
                    return start;
                }
                case ResizeMode.Cubic when !s.Antialias || scale >= 1:
                    for (int i = -1; i <= 2; i++) c.Add(CubicKernel(i - ratio, s.CubicA));
                    return -1;
                default:
                {
                    int start = (int)Math.Floor(-2 / scale) + 1;
                    for (int i = start; i <= 1 - start; i++) c.Add(CubicKernel((i - ratio) * scale, s.CubicA));
                    Normalize(c);
                    return start;
                }
            }
        }

        private static bool NearestTakesRight(double ratio, double scale, NearestRounding r)
        {
            if (ratio == 1) return true;
            return r switch
            {
                NearestRounding.RoundPreferFloor => ratio > 0.5,
                NearestRounding.RoundPreferCeil => ratio >= 0.5,
                NearestRounding.Floor => false,
                NearestRounding.Ceil => true,
                _ => scale < 1,
            };
        }

        /// <summary>Keys' cubic convolution kernel with parameter a.</summary>
        private static double CubicKernel(double x, double a)
        {
            x = Math.Abs(x);
            if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
            if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
            return 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Normalize(List<double> c)
        {
            double sum = 0;
            foreach (double v in c) sum += v;
            if (sum == 0) return;
            for (int i = 0; i < c.Count; i++) c[i] /= sum;
        }
    }
}
