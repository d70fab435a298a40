using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// The two copies every layout op reduces to: a strided read into a dense block (transpose, slice, split) and a dense
/// block written through strides (concat). One thread per element; the index map decodes the position.
/// </summary>
internal sealed class GpuStridedCopy
{
    private readonly Action<AcceleratorStream, Index1D, GpuIndexMap, int, ArrayView<float>, ArrayView<float>> _gather;
    private readonly Action<AcceleratorStream, Index1D, GpuIndexMap, int, ArrayView<float>, ArrayView<float>> _scatter;

    public GpuStridedCopy(Accelerator accelerator)
    {
        _gather = accelerator.LoadAutoGroupedKernel<Index1D, GpuIndexMap, int, ArrayView<float>, ArrayView<float>>(StridedReadKernel);
        _scatter = accelerator.LoadAutoGroupedKernel<Index1D, GpuIndexMap, int, ArrayView<float>, ArrayView<float>>(StridedWriteKernel);
    }

    /// <summary>y[i] = x[xBase + map.Offset(i)] for i &lt; count.</summary>
    public void Read(AcceleratorStream stream, int count, GpuIndexMap map, int xBase, ArrayView<float> x, ArrayView<float> y)
    {
        if (count > 0) _gather(stream, count, map, xBase, x, y);
    }

    /// <summary>y[yBase + map.Offset(i)] = x[i] for i &lt; count.</summary>
    public void Write(AcceleratorStream stream, int count, GpuIndexMap map, int yBase, ArrayView<float> x, ArrayView<float> y)
    {
        if (count > 0) _scatter(stream, count, map, yBase, x, y);
    }

    internal static void StridedReadKernel(Index1D i, GpuIndexMap map, int xBase, ArrayView<float> x, ArrayView<float> y) =>
        y[i] = x[xBase + map.Offset(i)];

    internal static void StridedWriteKernel(Index1D i, GpuIndexMap map, int yBase, ArrayView<float> x, ArrayView<float> y) =>
        y[yBase + map.Offset(i)] = x[i];
}
