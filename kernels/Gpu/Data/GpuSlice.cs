using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>Slice (any steps, negative included, rank ≤ 8, float32): a strided read, one thread per output element.</summary>
public sealed class GpuSlice
{
    private readonly GpuStridedCopy _copy;

    public GpuSlice(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _copy = new GpuStridedCopy(accelerator);
    }

    /// <summary>Enqueues Y = X[starts :: steps] with Y of <see cref="GpuSliceParams.OutShape"/>.</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in GpuSliceParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int rank = p.Shape.Length;
        if (p.Starts.Length != rank || p.Steps.Length != rank || p.OutShape.Length != rank) throw new ArgumentException("Slice params need one entry per dim.");
        long inCount = GpuIndexMap.Count(p.Shape), outCount = GpuIndexMap.Count(p.OutShape);
        if (inCount > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < inCount || y.Length < outCount) throw new ArgumentException("X or Y is smaller than the shapes need.");
        if (outCount == 0) return;
        var inStrides = GpuIndexMap.DenseStrides(p.Shape);
        var strides = new long[rank];
        long start = 0;
        for (int i = 0; i < rank; i++)
        {
            long last = p.Starts[i] + (long)(p.OutShape[i] - 1) * p.Steps[i];
            if (p.Starts[i] < 0 || p.Starts[i] >= p.Shape[i] || last < 0 || last >= p.Shape[i])
                throw new ArgumentException($"Slice dim {i} reads outside [0, {p.Shape[i]}).");
            start += p.Starts[i] * inStrides[i];
            strides[i] = p.Steps[i] * inStrides[i];
        }
        _copy.Read(stream, (int)outCount, GpuIndexMap.Create(p.OutShape, strides), (int)start, x, y);
    }
}
