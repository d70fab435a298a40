using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Resize of the last two axes (planes = product of the leading dims, which keep their size), float32, nearest or
/// bilinear, driven by per-axis tables exactly like the CPU <c>ResizeKernels.Nearest2D/Linear2D</c>: the coordinate
/// transform and rounding mode live in the tables, which the backend builds once per node (the same taps the CPU op
/// builds) and uploads. One thread per output element.
/// </summary>
public sealed class GpuResize
{
    private readonly Action<AcceleratorStream, Index1D, ResizeShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>> _nearest;
    private readonly Action<AcceleratorStream, Index1D, ResizeShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>> _linear;

    public GpuResize(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _nearest = accelerator.LoadAutoGroupedKernel<Index1D, ResizeShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>>(NearestKernel);
        _linear = accelerator.LoadAutoGroupedKernel<Index1D, ResizeShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>>(LinearKernel);
    }

    /// <summary>y[p, j, i] = x[p, rows[j], cols[i]]; every table entry must be in range (checked by the caller once).</summary>
    public void Nearest(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int planes, int inH, int inW, int outH, int outW,
        ArrayView<int> rows, ArrayView<int> cols)
    {
        var s = Check(stream, x, y, planes, inH, inW, outH, outW);
        if (rows.Length < outH || cols.Length < outW) throw new ArgumentException("Resize: index tables are shorter than the output.");
        if (s.Count > 0) _nearest(stream, s.Count, s, x, y, rows, cols);
    }

    /// <summary>
    /// y[p, j, i] = Σ over the two row taps and two column taps of weight · x: rows[2j], rows[2j+1] with rowWeights at
    /// the same positions, likewise the columns (interleaved tables: [index0, index1] per output position).
    /// </summary>
    public void Linear(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int planes, int inH, int inW, int outH, int outW,
        ArrayView<int> rows, ArrayView<float> rowWeights, ArrayView<int> cols, ArrayView<float> colWeights)
    {
        var s = Check(stream, x, y, planes, inH, inW, outH, outW);
        if (rows.Length < 2L * outH || rowWeights.Length < 2L * outH || cols.Length < 2L * outW || colWeights.Length < 2L * outW)
            throw new ArgumentException("Resize: tap tables are shorter than two per output position.");
        if (s.Count > 0) _linear(stream, s.Count, s, x, y, rows, rowWeights, cols, colWeights);
    }

    private static ResizeShape Check(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int planes, int inH, int inW, int outH, int outW)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (planes < 0 || inH < 0 || inW < 0 || outH < 0 || outW < 0) throw new ArgumentException("Resize sizes must be non-negative.");
        long inCount = (long)planes * inH * inW, outCount = (long)planes * outH * outW;
        if (inCount > int.MaxValue || outCount > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < inCount || y.Length < outCount) throw new ArgumentException("X or Y is smaller than the shapes need.");
        if (outCount > 0 && inCount == 0) throw new ArgumentException("Resize of an empty input to a non-empty output.");
        return new ResizeShape { InH = inH, InW = inW, OutH = outH, OutW = outW, Count = (int)outCount };
    }

    internal static void NearestKernel(Index1D index, ResizeShape s, ArrayView<float> x, ArrayView<float> y, ArrayView<int> rows, ArrayView<int> cols)
    {
        int e = index;
        int i = e % s.OutW, q = e / s.OutW, j = q % s.OutH, p = q / s.OutH;
        y[e] = x[(p * s.InH + rows[j]) * s.InW + cols[i]];
    }

    internal static void LinearKernel(Index1D index, ResizeShape s, ArrayView<float> x, ArrayView<float> y,
        ArrayView<int> rows, ArrayView<float> rowWeights, ArrayView<int> cols, ArrayView<float> colWeights)
    {
        int e = index;
        int i = e % s.OutW, q = e / s.OutW, j = q % s.OutH, p = q / s.OutH;
        int plane = p * s.InH;
        int r0 = (plane + rows[2 * j]) * s.InW, r1 = (plane + rows[2 * j + 1]) * s.InW;
        int c0 = cols[2 * i], c1 = cols[2 * i + 1];
        float cx0 = colWeights[2 * i], cx1 = colWeights[2 * i + 1];
        float h0 = cx0 * x[r0 + c0] + cx1 * x[r0 + c1];
        float h1 = cx0 * x[r1 + c0] + cx1 * x[r1 + c1];
        y[e] = rowWeights[2 * j] * h0 + rowWeights[2 * j + 1] * h1;
    }

    internal struct ResizeShape
    {
        public int InH, InW, OutH, OutW, Count;
    }
}
