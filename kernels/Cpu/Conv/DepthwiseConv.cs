using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Direct depthwise convolution over 1-D/2-D planes (group = input channels; each input channel feeds
/// <c>multiplier</c> output channels): any kernel, stride, dilation and padding, with bias, residual and activation
/// fused. Vectorized along the output width straight from the unpadded input (no copy of the plane): see
/// <see cref="DepthwiseKernel{TS, TV}"/>. The vector width is the widest whose lanes a row fills (16 when the output
/// row has more than 8 columns, 8 above 4, else 4). Work is split over (image, output channel, band of output rows),
/// with bands small enough for the band's input rows to stay in L1 and numerous enough to keep every thread busy when
/// there are few channels.
/// </summary>
public static unsafe class DepthwiseConv
{
    /// <summary>Below this many multiply-adds the call stays on one thread (waking workers costs more).</summary>
    private const long ParallelThreshold = 1L << 17;

    /// <summary>Input floats a band of rows should keep under (L1-sized).</summary>
    private const int BandInputFloats = 4096;

    /// <summary>True when the geometry has 1 or 2 spatial dims (3-D depthwise goes through im2col).</summary>
    public static bool Supports(SpatialGeometry g) => g.Rank <= 2;

    /// <summary>
    /// y = activation(conv(x, w) + bias + residual). x is [batch, channels, in...], w [channels·multiplier, kernel...],
    /// bias empty or [channels·multiplier], residual empty or Y-shaped (it must not overlap y), y
    /// [batch, channels·multiplier, out...].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual,
        Span<float> y, int batch, int channels, int multiplier, SpatialGeometry g, SgemmActivation activation)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (!Supports(g)) throw new NotSupportedException("DepthwiseConv handles 1-D and 2-D geometries.");
        if (batch < 0 || channels < 0 || multiplier < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Invalid depthwise shape: batch {batch}, {channels} channels, multiplier {multiplier}.");
        long m = (long)channels * multiplier;
        long outCount = batch * m * g.OutputSize;
        if ((long)batch * channels * g.InputSize > x.Length || m * g.KernelSize > w.Length || outCount > y.Length)
            throw new ArgumentException("DepthwiseConv buffers are smaller than the geometry needs.");
        if (!bias.IsEmpty && bias.Length < m) throw new ArgumentException("Bias must have one value per output channel.");
        if (!residual.IsEmpty && residual.Length < outCount) throw new ArgumentException("Residual must have Y's shape.");
        if (activation.Kind is < SgemmActivationKind.None or > SgemmActivationKind.Silu)
            throw new ArgumentOutOfRangeException(nameof(activation), $"Unknown activation {activation.Kind}.");
        if (outCount == 0) return;

        var shape = new DepthwiseShape(g);
        int planes = (int)(batch * m);
        int degree = KernelParallelism.MaxDegree;
        long work = outCount * g.KernelSize;
        bool parallel = degree > 1 && planes * (long)shape.OH > 1 && work >= ParallelThreshold;
        // Bands: rows whose input fits L1, and when the planes are few, enough bands for ~4 tasks per thread.
        int bandsForCache = (int)Math.Min(shape.OH, ((long)shape.OH * shape.SH * shape.W + BandInputFloats - 1) / BandInputFloats);
        int bandsForThreads = parallel && planes < 4 * degree ? (4 * degree + planes - 1) / planes : 1;
        int bands = Math.Clamp(Math.Max(bandsForCache, bandsForThreads), 1, shape.OH);
        int rowsPerBand = (shape.OH + bands - 1) / bands;
        bands = (shape.OH + rowsPerBand - 1) / rowsPerBand;

        fixed (float* px = x)
        fixed (float* pw = w)
        fixed (float* pb = bias)
        fixed (float* pr = residual)
        fixed (float* py = y)
        {
            var job = new Job
            {
                X = px, W = pw, Bias = bias.IsEmpty ? null : pb, Residual = residual.IsEmpty ? null : pr, Y = py,
                Shape = shape, Activation = activation, Channels = channels, Multiplier = multiplier,
                OutputChannels = (int)m, InputSize = g.InputSize, OutputSize = g.OutputSize, KernelSize = g.KernelSize,
                Bands = bands, RowsPerBand = rowsPerBand, Path = ChoosePath(shape.OW),
            };
            int tasks = planes * bands;
            if (parallel) KernelParallelism.For(0, tasks, ref job);
            else for (int t = 0; t < tasks; t++) job.Invoke(t);
        }
    }

    /// <summary>Activations the kernels apply in registers; the others run over each finished band.</summary>
    internal static bool InRegister(in SgemmActivation a) => a.Kind is SgemmActivationKind.None or SgemmActivationKind.Relu
        or SgemmActivationKind.LeakyRelu or SgemmActivationKind.Clip or SgemmActivationKind.HardSigmoid;

    private enum VectorPath { Scalar, V128, V256, V512 }

    /// <summary>The widest vector a row of <paramref name="ow"/> outputs fills (one partial vector beats two narrow ones).</summary>
    private static VectorPath ChoosePath(int ow)
    {
        if (Vector512.IsHardwareAccelerated && ow > 8) return VectorPath.V512;
        if (Vector256.IsHardwareAccelerated && ow > 4) return VectorPath.V256;
        return Vector128.IsHardwareAccelerated ? VectorPath.V128 : VectorPath.Scalar;
    }

    /// <summary>One task: one band of rows of one (image, output channel) plane.</summary>
    private struct Job : IParallelBody
    {
        public float* X, W, Bias, Residual, Y;
        public DepthwiseShape Shape;
        public SgemmActivation Activation;
        public int Channels, Multiplier, OutputChannels, InputSize, OutputSize, KernelSize, Bands, RowsPerBand;
        public VectorPath Path;

        public readonly void Invoke(int t)
        {
            int plane = t / Bands, band = t - plane * Bands;
            int b = plane / OutputChannels, oc = plane - b * OutputChannels;
            float* x = X + ((long)b * Channels + oc / Multiplier) * InputSize;
            float* w = W + (long)oc * KernelSize;
            float bias = Bias == null ? 0f : Bias[oc];
            float* res = Residual == null ? null : Residual + (long)plane * OutputSize;
            float* y = Y + (long)plane * OutputSize;
            int r0 = band * RowsPerBand, r1 = Math.Min(Shape.OH, r0 + RowsPerBand);
            switch (Path)
            {
                case VectorPath.V512: DepthwiseKernel<DepthwiseVector512, Vector512<float>>.Band(Shape, x, w, bias, res, y, r0, r1, Activation); break;
                case VectorPath.V256: DepthwiseKernel<DepthwiseVector256, Vector256<float>>.Band(Shape, x, w, bias, res, y, r0, r1, Activation); break;
                case VectorPath.V128: DepthwiseKernel<DepthwiseVector128, Vector128<float>>.Band(Shape, x, w, bias, res, y, r0, r1, Activation); break;
                default: ScalarBand(Shape, x, w, bias, res, y, r0, r1, Activation); break;
            }
        }
    }

    /// <summary>The plain loop for machines without SIMD (and the meaning every vector path must match).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarBand(in DepthwiseShape s, float* x, float* w, float bias, float* res, float* y, int r0, int r1, in SgemmActivation act)
    {
        for (int oh = r0; oh < r1; oh++)
        {
            s.Taps(oh, out int ih0, out int lo, out int hi);
            for (int ow = 0; ow < s.OW; ow++)
            {
                float acc = bias;
                for (int kh = lo; kh < hi; kh++)
                {
                    float* row = x + (long)(ih0 + kh * s.DH) * s.W;
                    for (int kw = 0; kw < s.KW; kw++)
                    {
                        int iw = ow * s.SW - s.PadL + kw * s.DW;
                        if ((uint)iw < (uint)s.W) acc += w[kh * s.KW + kw] * row[iw];
                    }
                }
                long o = (long)oh * s.OW + ow;
                if (res != null) acc += res[o];
                y[o] = act.Kind switch
                {
                    SgemmActivationKind.Relu => acc < 0f ? 0f : acc,
                    SgemmActivationKind.LeakyRelu => acc < 0f ? acc * act.Alpha : acc,
                    SgemmActivationKind.Clip => Clip(acc, act.Alpha, act.Beta),
                    SgemmActivationKind.HardSigmoid => Clip(act.Alpha * acc + act.Beta, 0f, 1f),
                    _ => acc,
                };
            }
        }
        if (!InRegister(act)) SgemmActivations.ApplyRow(y + (long)r0 * s.OW, (r1 - r0) * s.OW, 0f, null, null, act);
    }

    /// <summary>min(max(v, lo), hi) with NaN kept, as the vector paths do.</summary>
    private static float Clip(float v, float lo, float hi)
    {
        v = v < lo ? lo : v;
        return v > hi ? hi : v;
    }
}
