using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Normalization;

/// <summary>Inference-mode BatchNormalization (float32, NC... layout): one thread per element.</summary>
public sealed class GpuBatchNormalization
{
    private readonly Action<AcceleratorStream, Index1D, GpuBatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _kernel;

    public GpuBatchNormalization(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _kernel = accelerator.LoadAutoGroupedKernel<Index1D, GpuBatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(BatchNormKernel);
    }

    /// <summary>Enqueues Y = BatchNormalization(X; scale, bias, mean, var), each parameter one value per channel.</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> bias,
        ArrayView<float> mean, ArrayView<float> variance, ArrayView<float> y, in GpuBatchNormParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (p.Batch < 0 || p.Channels < 0 || p.Spatial < 0) throw new ArgumentException("BatchNormalization sizes must be non-negative.");
        if (p.Elements > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < p.Elements || y.Length < p.Elements) throw new ArgumentException("X or Y is smaller than Batch × Channels × Spatial.");
        if (scale.Length < p.Channels || bias.Length < p.Channels || mean.Length < p.Channels || variance.Length < p.Channels)
            throw new ArgumentException("BatchNormalization needs one scale, bias, mean and variance per channel.");
        if (p.Elements == 0) return;
        _kernel(stream, (int)p.Elements, p, x, scale, bias, mean, variance, y);
    }

    internal static void BatchNormKernel(Index1D index, GpuBatchNormParams p, ArrayView<float> x, ArrayView<float> scale,
        ArrayView<float> bias, ArrayView<float> mean, ArrayView<float> variance, ArrayView<float> y)
    {
        int i = index;
        int c = i / p.Spatial % p.Channels;
        float a = scale[c] / XMath.Sqrt(variance[c] + p.Epsilon);
        y[i] = (x[i] - mean[c]) * a + bias[c];
    }
}
