using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Conv;
using NativeInfer.Kernels.Gpu.Reduce;

namespace NativeInfer.Kernels.Gpu.Pooling;

/// <summary>
/// MaxPool / AveragePool over 1-3 spatial dims (strides, dilations, asymmetric pads, ceil_mode through the output
/// size, count_include_pad) and GlobalMaxPool / GlobalAveragePool, float32, NC... layout.
/// </summary>
/// <remarks>
/// Windowed pooling: one thread per output. Global pooling: one group of 256 threads per plane, a strided sum/max and
/// a shared-memory tree reduction. Kernels loaded once per accelerator; the Run methods only enqueue.
/// </remarks>
public sealed class GpuPooling
{
    private readonly Action<AcceleratorStream, Index1D, PoolArgs, ArrayView<float>, ArrayView<float>> _window;
    private readonly Action<AcceleratorStream, KernelConfig, int, int, ArrayView<float>, ArrayView<float>> _global;

    public GpuPooling(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < GpuGroupReduce.GroupSize)
            throw new NotSupportedException($"Global pooling needs {GpuGroupReduce.GroupSize} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _window = accelerator.LoadAutoGroupedKernel<Index1D, PoolArgs, ArrayView<float>, ArrayView<float>>(WindowKernel);
        _global = accelerator.LoadKernel<int, int, ArrayView<float>, ArrayView<float>>(GlobalKernel);
    }

    /// <summary>Enqueues MaxPool or AveragePool of X into Y.</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in GpuPoolParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var w = p.Window;
        if (p.Planes < 0 || p.PadEndD < 0 || p.PadEndH < 0 || p.PadEndW < 0) throw new ArgumentException("Planes and pads must be non-negative.");
        if (p.Kind is not (GpuPoolKind.Max or GpuPoolKind.Average)) throw new ArgumentException($"Unknown pooling kind {p.Kind}.");
        long inCount = (long)p.Planes * w.InputSize, outCount = (long)p.Planes * w.OutputSize;
        if (inCount > int.MaxValue || outCount > int.MaxValue) throw new NotSupportedException("GPU pooling tensors are limited to 2^31 - 1 elements.");
        if (x.Length < inCount || y.Length < outCount) throw new ArgumentException("Pooling buffers are smaller than the geometry needs.");
        if (outCount == 0) return;
        _window(stream, (int)outCount, new PoolArgs(p), x, y);
    }

    /// <summary>Enqueues GlobalMaxPool (<paramref name="max"/>) or GlobalAveragePool of X [planes, size] into Y [planes].</summary>
    public void RunGlobal(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int planes, int size, bool max)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (planes < 0 || size < 0) throw new ArgumentException("Planes and size must be non-negative.");
        if ((long)planes * size > int.MaxValue) throw new NotSupportedException("GPU pooling tensors are limited to 2^31 - 1 elements.");
        if (x.Length < (long)planes * size || y.Length < planes) throw new ArgumentException("Global pooling buffers are smaller than planes × size.");
        if (planes == 0) return;
        _global(stream, new KernelConfig(planes, GpuGroupReduce.GroupSize), size, max ? 1 : 0, x, y);
    }

    internal static void WindowKernel(Index1D index, PoolArgs a, ArrayView<float> x, ArrayView<float> y)
    {
        int idx = index;
        var w = a.Window;
        int outSize = w.OutD * w.OutH * w.OutW;
        int plane = idx / outSize, pos = idx - plane * outSize;
        int ow = pos % w.OutW, q = pos / w.OutW, oh = q % w.OutH, od = q / w.OutH;
        int d0 = od * w.StrideD - w.PadD, h0 = oh * w.StrideH - w.PadH, w0 = ow * w.StrideW - w.PadW;
        int xBase = plane * w.InD * w.InH * w.InW;
        float best = 0f, sum = 0f;
        int valid = 0;
        bool any = false;
        for (int kd = 0; kd < w.KernelD; kd++)
        {
            int id = d0 + kd * w.DilationD;
            if (id < 0 || id >= w.InD) continue;
            for (int kh = 0; kh < w.KernelH; kh++)
            {
                int ih = h0 + kh * w.DilationH;
                if (ih < 0 || ih >= w.InH) continue;
                int row = xBase + (id * w.InH + ih) * w.InW;
                for (int kw = 0; kw < w.KernelW; kw++)
                {
                    int iw = w0 + kw * w.DilationW;
                    if (iw < 0 || iw >= w.InW) continue;
                    float v = x[row + iw];
                    valid++;
                    sum += v;
                    if (v == v && (!any || v > best))
                    {
                        best = v;
                        any = true;
                    }
                }
            }
        }
        if (a.Max != 0)
        {
            y[idx] = best;
            return;
        }
        int n = valid;
        if (a.CountIncludePad != 0)
            n = Padded(d0, w.InD + a.PadEndD, w.KernelD, w.DilationD) * Padded(h0, w.InH + a.PadEndH, w.KernelH, w.DilationH)
                * Padded(w0, w.InW + a.PadEndW, w.KernelW, w.DilationW);
        y[idx] = n == 0 ? float.NaN : sum / n;
    }

    /// <summary>Window offsets of one axis that land inside the explicitly padded input (start ≥ −pad always holds).</summary>
    private static int Padded(int start, int paddedEnd, int k, int d)
    {
        int last = paddedEnd - 1 - start;
        if (last < 0) return 0;
        int hi = last / d + 1;
        return hi < k ? hi : k;
    }

    internal static void GlobalKernel(int size, int max, ArrayView<float> x, ArrayView<float> y)
    {
        var scratch = SharedMemory.Allocate<float>(GpuGroupReduce.GroupSize);
        int plane = Grid.IdxX;
        int baseIdx = plane * size;
        float acc = max != 0 ? float.NegativeInfinity : 0f;
        for (int i = Group.IdxX; i < size; i += Group.DimX)
        {
            float v = x[baseIdx + i];
            acc = max != 0 ? GpuGroupReduce.Combine(GpuGroupReduce.Max, acc, v) : acc + v;
        }
        float r = GpuGroupReduce.Reduce(scratch, acc, max != 0 ? GpuGroupReduce.Max : GpuGroupReduce.Sum);
        if (Group.IdxX == 0) y[plane] = max != 0 ? (size == 0 ? 0f : r) : r / size;   // empty plane: max 0, mean NaN
    }

    internal readonly struct PoolArgs
    {
        public readonly GpuWindow Window;
        public readonly int Max, CountIncludePad, PadEndD, PadEndH, PadEndW;

        public PoolArgs(in GpuPoolParams p)
        {
            Window = p.Window;
            Max = p.Kind == GpuPoolKind.Max ? 1 : 0;
            CountIncludePad = p.CountIncludePad ? 1 : 0;
            PadEndD = p.PadEndD;
            PadEndH = p.PadEndH;
            PadEndW = p.PadEndW;
        }
    }
}
