using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Gather along one axis, float32 data with int64 indices (ONNX's type): X viewed as [outer, axisSize, inner],
/// Y = [outer, indexCount, inner], y[o, j, i] = x[o, idx[j], i], negative indices counted from the end. A GPU kernel
/// cannot throw: an index still outside [0, axisSize) after that yields 0 (the CPU op rejects it; the backend should
/// validate constant indices once).
/// </summary>
public sealed class GpuGather
{
    private readonly Action<AcceleratorStream, Index1D, int, int, int, ArrayView<float>, ArrayView<long>, ArrayView<float>> _kernel;

    public GpuGather(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _kernel = accelerator.LoadAutoGroupedKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<long>, ArrayView<float>>(GatherKernel);
    }

    /// <summary>Enqueues the gather of <paramref name="indexCount"/> indices.</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<long> indices, ArrayView<float> y,
        int outer, int axisSize, int inner, int indexCount)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (outer < 0 || axisSize < 0 || inner < 0 || indexCount < 0) throw new ArgumentException("Gather sizes must be non-negative.");
        long inCount = (long)outer * axisSize * inner, outCount = (long)outer * indexCount * inner;
        if (inCount > int.MaxValue || outCount > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < inCount || y.Length < outCount || indices.Length < indexCount) throw new ArgumentException("Gather buffers are smaller than the shapes need.");
        if (outCount == 0) return;
        _kernel(stream, (int)outCount, axisSize, inner, indexCount, x, indices, y);
    }

    internal static void GatherKernel(Index1D index, int axisSize, int inner, int indexCount, ArrayView<float> x, ArrayView<long> indices, ArrayView<float> y)
    {
        int e = index;
        int i = e % inner, q = e / inner, j = q % indexCount, o = q / indexCount;
        long k = indices[j];
        if (k < 0) k += axisSize;
        y[e] = k >= 0 && k < axisSize ? x[(o * axisSize + (int)k) * inner + i] : 0f;
    }
}
