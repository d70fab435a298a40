using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>Pad (constant / reflect / edge / wrap, rank ≤ 8, float32): one thread per output element.</summary>
public sealed class GpuPad
{
    private readonly Action<AcceleratorStream, Index1D, PadArgs, ArrayView<float>, ArrayView<float>> _kernel;

    public GpuPad(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _kernel = accelerator.LoadAutoGroupedKernel<Index1D, PadArgs, ArrayView<float>, ArrayView<float>>(PadKernel);
    }

    /// <summary>Enqueues Y = Pad(X).</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in GpuPadParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int rank = p.Shape.Length;
        if (p.PadsBegin.Length != rank || p.PadsEnd.Length != rank) throw new ArgumentException("Pad needs begin and end pads per dim.");
        if ((uint)p.Mode > (uint)GpuPadMode.Wrap) throw new ArgumentException($"Unknown pad mode {p.Mode}.");
        var outShape = p.OutShape();
        foreach (int d in outShape) if (d < 0) throw new ArgumentException("Negative pads remove more than the dim holds.");
        long inCount = GpuIndexMap.Count(p.Shape), outCount = GpuIndexMap.Count(outShape);
        if (inCount > int.MaxValue || outCount > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < inCount || y.Length < outCount) throw new ArgumentException("X or Y is smaller than the shapes need.");
        if (outCount == 0) return;
        if (inCount == 0 && p.Mode != GpuPadMode.Constant) throw new ArgumentException($"{p.Mode} padding of an empty tensor has no values to copy.");
        for (int i = 0; i < rank; i++)
        {
            if (p.Mode == GpuPadMode.Reflect && (p.PadsBegin[i] >= p.Shape[i] && p.Shape[i] > 1 || p.PadsEnd[i] >= p.Shape[i] && p.Shape[i] > 1))
                throw new ArgumentException($"Reflect pads of dim {i} must be smaller than its size {p.Shape[i]}.");
        }
        var strides = GpuIndexMap.DenseStrides(p.Shape);
        var intStrides = new int[rank];
        for (int i = 0; i < rank; i++) intStrides[i] = (int)strides[i];
        var args = new PadArgs
        {
            Out = GpuIndexMap.Values(outShape, p.PadsBegin),
            In = GpuIndexMap.Values(p.Shape, intStrides),
            Mode = (int)p.Mode,
            Value = p.Value,
        };
        _kernel(stream, (int)outCount, args, x, y);
    }

    internal static void PadKernel(Index1D index, PadArgs a, ArrayView<float> x, ArrayView<float> y)
    {
        int linear = index;
        int off = 0;
        bool outside = false;
        for (int i = a.Out.Rank - 1; i >= 0; i--)
        {
            int d = a.Out.Size(i);
            int q = linear / d;
            int c = linear - q * d - a.Out.Stride(i);   // Out's strides hold the leading pads
            linear = q;
            int n = a.In.Size(i);
            if (c < 0 || c >= n)
            {
                if (a.Mode == (int)GpuPadMode.Constant) { outside = true; continue; }
                if (a.Mode == (int)GpuPadMode.Edge) c = c < 0 ? 0 : n - 1;
                else if (a.Mode == (int)GpuPadMode.Wrap) { c %= n; if (c < 0) c += n; }
                else if (n == 1) c = 0;
                else
                {
                    int period = 2 * (n - 1);
                    c %= period;
                    if (c < 0) c += period;
                    if (c >= n) c = period - c;
                }
            }
            off += c * a.In.Stride(i);
        }
        y[index] = outside ? a.Value : x[off];
    }

    internal struct PadArgs
    {
        public GpuIndexMap Out;   // sizes: Y's dims; strides: the leading pads
        public GpuIndexMap In;    // sizes and strides of X
        public int Mode;
        public float Value;
    }
}
