using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Concat and Split along one axis, float32. Both view the tensors as [outer, axis, inner]: Concat writes each input
/// [outer, a_j, inner] into its band of Y [outer, Σa, inner], Split reads each output's band; one launch per part.
/// </summary>
public sealed class GpuConcatSplit
{
    private readonly GpuStridedCopy _copy;

    public GpuConcatSplit(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _copy = new GpuStridedCopy(accelerator);
    }

    /// <summary>Enqueues Y = Concat(inputs) along the axis; <paramref name="axisSizes"/>[j] is input j's axis length.</summary>
    public void Concat(AcceleratorStream stream, ReadOnlySpan<ArrayView<float>> inputs, ReadOnlySpan<int> axisSizes, int outer, int inner, ArrayView<float> y)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int total = Check(inputs.Length, axisSizes, outer, inner, y.Length, "Concat");
        int offset = 0;
        for (int j = 0; j < inputs.Length; j++)
        {
            long n = (long)outer * axisSizes[j] * inner;
            if (inputs[j].Length < n) throw new ArgumentException($"Concat input {j} is smaller than [{outer}, {axisSizes[j]}, {inner}].");
            var map = GpuIndexMap.Create([outer, axisSizes[j] * inner], [(long)total * inner, 1]);
            _copy.Write(stream, (int)n, map, offset * inner, inputs[j], y);
            offset += axisSizes[j];
        }
    }

    /// <summary>Enqueues outputs = Split(X) along the axis; <paramref name="axisSizes"/>[j] is output j's axis length.</summary>
    public void Split(AcceleratorStream stream, ArrayView<float> x, ReadOnlySpan<ArrayView<float>> outputs, ReadOnlySpan<int> axisSizes, int outer, int inner)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int total = Check(outputs.Length, axisSizes, outer, inner, x.Length, "Split");
        int offset = 0;
        for (int j = 0; j < outputs.Length; j++)
        {
            long n = (long)outer * axisSizes[j] * inner;
            if (outputs[j].Length < n) throw new ArgumentException($"Split output {j} is smaller than [{outer}, {axisSizes[j]}, {inner}].");
            var map = GpuIndexMap.Create([outer, axisSizes[j] * inner], [(long)total * inner, 1]);
            _copy.Read(stream, (int)n, map, offset * inner, x, outputs[j]);
            offset += axisSizes[j];
        }
    }

    private static int Check(int parts, ReadOnlySpan<int> axisSizes, int outer, int inner, long whole, string op)
    {
        if (axisSizes.Length != parts) throw new ArgumentException($"{op}: one axis size per part.");
        if (outer < 0 || inner < 0) throw new ArgumentException($"{op}: sizes must be non-negative.");
        long total = 0;
        foreach (int a in axisSizes)
        {
            if (a < 0) throw new ArgumentException($"{op}: sizes must be non-negative.");
            total += a;
        }
        long count = outer * total * inner;
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (whole < count) throw new ArgumentException($"{op}: the whole tensor is smaller than [{outer}, {total}, {inner}].");
        return (int)total;
    }
}
