using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Reduce;

namespace NativeInfer.Kernels.Gpu.Softmax;

/// <summary>
/// Softmax / LogSoftmax along one axis: one group of 256 threads per row (outer, inner): the row max and the sum of
/// exp(x − max) by shared-memory reductions, then one pass writing the result. Rows with Inner &gt; 1 are read with
/// stride Inner (uncoalesced; the backend may transpose first for wide inner sizes).
/// </summary>
public sealed class GpuSoftmax
{
    private readonly Action<AcceleratorStream, KernelConfig, SoftmaxArgs, ArrayView<float>, ArrayView<float>> _kernel;

    public GpuSoftmax(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < GpuGroupReduce.GroupSize)
            throw new NotSupportedException($"Softmax needs {GpuGroupReduce.GroupSize} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _kernel = accelerator.LoadKernel<SoftmaxArgs, ArrayView<float>, ArrayView<float>>(SoftmaxKernel);
    }

    /// <summary>Enqueues Y = (Log)Softmax(X); Y may be X.</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in GpuSoftmaxParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (p.Outer < 0 || p.Size < 0 || p.Inner < 0) throw new ArgumentException("Softmax sizes must be non-negative.");
        if (p.Elements > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < p.Elements || y.Length < p.Elements) throw new ArgumentException("X or Y is smaller than Outer × Size × Inner.");
        if (p.Elements == 0) return;
        _kernel(stream, new KernelConfig(p.Outer * p.Inner, GpuGroupReduce.GroupSize), new SoftmaxArgs { Size = p.Size, Inner = p.Inner, Log = p.Log ? 1 : 0 }, x, y);
    }

    internal static void SoftmaxKernel(SoftmaxArgs p, ArrayView<float> x, ArrayView<float> y)
    {
        var scratch = SharedMemory.Allocate<float>(GpuGroupReduce.GroupSize);
        int row = Grid.IdxX, inner = p.Inner, n = p.Size, t = Group.IdxX, step = Group.DimX;
        int o = row / inner, i = row - o * inner;
        int baseIdx = o * n * inner + i;
        float m = float.NegativeInfinity;
        for (int j = t; j < n; j += step) m = GpuGroupReduce.Combine(GpuGroupReduce.Max, m, x[baseIdx + j * inner]);
        m = GpuGroupReduce.Reduce(scratch, m, GpuGroupReduce.Max);
        float s = 0f;
        for (int j = t; j < n; j += step) s += XMath.Exp(x[baseIdx + j * inner] - m);
        s = GpuGroupReduce.Reduce(scratch, s, GpuGroupReduce.Sum);
        if (p.Log != 0)
        {
            float shift = m + XMath.Log(s);
            for (int j = t; j < n; j += step) y[baseIdx + j * inner] = x[baseIdx + j * inner] - shift;
        }
        else
        {
            float inv = 1f / s;
            for (int j = t; j < n; j += step) y[baseIdx + j * inner] = XMath.Exp(x[baseIdx + j * inner] - m) * inv;
        }
    }

    /// <summary>The kernel-side params: ints only (a bool field is not blittable for ILGPU).</summary>
    internal struct SoftmaxArgs
    {
        public int Size, Inner, Log;
    }
}
