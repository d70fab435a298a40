using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Reduce;

namespace NativeInfer.Kernels.Gpu.Normalization;

/// <summary>
/// LayerNormalization over the trailing axes (X viewed as [rows, size]): one group of 256 threads per row, mean and
/// variance by two shared-memory reductions (two passes: the centred sum of squares, not E[x²] − E[x]²); in RMS mode
/// (RMSNormalization) the mean is taken as 0 and only the sum of squares is reduced.
/// </summary>
public sealed class GpuLayerNormalization
{
    private readonly Action<AcceleratorStream, KernelConfig, LayerNormArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _kernel;

    public GpuLayerNormalization(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < GpuGroupReduce.GroupSize)
            throw new NotSupportedException($"LayerNormalization needs {GpuGroupReduce.GroupSize} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _kernel = accelerator.LoadKernel<LayerNormArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LayerNormKernel);
    }

    /// <summary>
    /// Enqueues the normalization. <paramref name="bias"/>, <paramref name="mean"/> and <paramref name="invStd"/> are
    /// read/written only when the params say so (pass <c>default</c> otherwise).
    /// </summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> bias, ArrayView<float> y,
        ArrayView<float> mean, ArrayView<float> invStd, in GpuLayerNormParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (p.Rows < 0 || p.Size < 0 || p.ScaleRowStride < 0 || p.BiasRowStride < 0) throw new ArgumentException("LayerNormalization sizes must be non-negative.");
        if (p.Elements > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < p.Elements || y.Length < p.Elements) throw new ArgumentException("X or Y is smaller than Rows × Size.");
        long scaleNeed = p.Rows == 0 ? 0 : (long)(p.Rows - 1) * p.ScaleRowStride + p.Size;
        long biasNeed = p.Rows == 0 ? 0 : (long)(p.Rows - 1) * p.BiasRowStride + p.Size;
        if (scale.Length < scaleNeed) throw new ArgumentException("The scale is smaller than its rows need.");
        if (p.HasBias && bias.Length < biasNeed) throw new ArgumentException("The bias is smaller than its rows need.");
        if (p.HasStats && (mean.Length < p.Rows || invStd.Length < p.Rows)) throw new ArgumentException("Mean and InvStdDev need one value per row.");
        if (p.Rows == 0) return;
        if (!p.HasBias) bias = scale;
        if (!p.HasStats)
        {
            mean = y.SubView(0, 1);
            invStd = y.SubView(0, 1);
        }
        _kernel(stream, new KernelConfig(p.Rows, GpuGroupReduce.GroupSize), new LayerNormArgs(p), x, scale, bias, y, mean, invStd);
    }

    internal static void LayerNormKernel(LayerNormArgs a, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> bias,
        ArrayView<float> y, ArrayView<float> mean, ArrayView<float> invStd)
    {
        var scratch = SharedMemory.Allocate<float>(GpuGroupReduce.GroupSize);
        int row = Grid.IdxX, n = a.Size, t = Group.IdxX, step = Group.DimX;
        int xBase = row * n;
        float mu = 0f;
        if (a.Rms == 0)   // uniform across the group, so every thread reaches the reduction's barriers
        {
            float s = 0f;
            for (int i = t; i < n; i += step) s += x[xBase + i];
            mu = GpuGroupReduce.Reduce(scratch, s, GpuGroupReduce.Sum) / n;
        }
        float q = 0f;
        for (int i = t; i < n; i += step)
        {
            float d = x[xBase + i] - mu;
            q += d * d;
        }
        float inv = 1f / XMath.Sqrt(GpuGroupReduce.Reduce(scratch, q, GpuGroupReduce.Sum) / n + a.Epsilon);
        int sBase = row * a.ScaleRowStride, bBase = row * a.BiasRowStride;
        for (int i = t; i < n; i += step)
        {
            float v = (x[xBase + i] - mu) * inv * scale[sBase + i];
            if (a.HasBias != 0) v += bias[bBase + i];
            y[xBase + i] = v;
        }
        if (a.HasStats != 0 && t == 0)
        {
            mean[row] = mu;
            invStd[row] = inv;
        }
    }

    internal readonly struct LayerNormArgs
    {
        public readonly int Size, ScaleRowStride, BiasRowStride, HasBias, HasStats, Rms;
        public readonly float Epsilon;

        public LayerNormArgs(in GpuLayerNormParams p)
        {
            Size = p.Size;
            ScaleRowStride = p.ScaleRowStride;
            BiasRowStride = p.BiasRowStride;
            HasBias = p.HasBias ? 1 : 0;
            HasStats = p.HasStats ? 1 : 0;
            Rms = p.Rms ? 1 : 0;
            Epsilon = p.Epsilon;
        }
    }
}
