using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// Float32 transposed convolution (ONNX ConvTranspose) over 1-3 spatial dims on an ILGPU accelerator: groups, strides,
/// dilations, leading pads (negative allowed; output_padding, output_shape and auto_pad are resolved by the caller into
/// the output size and the pads) and an optional bias.
/// </summary>
/// <remarks>
/// <para>A gather, one thread per output element, so no atomics and every output written once: Y[n, m, o] sums
/// X[n, c, i] · W[c, m mod Mg, k] over the input channels c of m's group and the taps k with o + pad − k·dilation =
/// i·stride for an i inside X, per axis. The taps that divide evenly by the stride form an arithmetic progression of
/// step stride / gcd(stride, dilation) (computed on the host), so a thread finds its first tap with at most that many
/// remainder tests and then visits only the contributing taps, input channels innermost.</para>
/// <para>Loaded once per accelerator; <see cref="Run"/> only enqueues. Indices are 32-bit (tensors below 2^31 elements).</para>
/// </remarks>
public sealed class GpuConvTranspose
{
    private readonly Action<AcceleratorStream, Index1D, ConvTransposeArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _gather;

    public GpuConvTranspose(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _gather = accelerator.LoadAutoGroupedKernel<Index1D, ConvTransposeArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GatherKernel);
    }

    /// <summary>
    /// Enqueues Y = convTranspose(X, W) + bias. <paramref name="bias"/> (OutputChannels values) is read only when
    /// <see cref="GpuConvTransposeParams.HasBias"/>; pass <c>default</c> otherwise. Y must not overlap X or W.
    /// </summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y,
        in GpuConvTransposeParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        p.Validate();
        if (x.Length < p.InputElements) throw new ArgumentException("X is smaller than Batch × Channels × input size.");
        if (w.Length < p.WeightElements) throw new ArgumentException("W is smaller than C × M/group × kernel size.");
        if (y.Length < p.OutputElements) throw new ArgumentException("Y is smaller than Batch × M × output size.");
        if (p.HasBias && bias.Length < p.OutputChannels) throw new ArgumentException("The bias needs one value per output channel.");
        if (p.OutputElements == 0) return;
        // Empty views cannot be bound on every backend: a 1-element stand-in is never read.
        if (!p.HasBias) bias = y.SubView(0, 1);
        if (p.InputElements == 0) x = y.SubView(0, 1);
        if (p.WeightElements == 0) w = y.SubView(0, 1);
        _gather(stream, (int)p.OutputElements, new ConvTransposeArgs(p), x, w, bias, y);
    }

    internal static void GatherKernel(Index1D index, ConvTransposeArgs a, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias,
        ArrayView<float> y)
    {
        int idx = index;
        var win = a.Window;
        int pos = idx % a.OutSize, plane = idx / a.OutSize;
        int ch = plane % a.M, img = plane / a.M;
        int g = ch / a.Mg, mm = ch - g * a.Mg;
        int ow = pos % win.OutW, q = pos / win.OutW, oh = q % win.OutH, od = q / win.OutH;
        int td = od + win.PadD, th = oh + win.PadH, tw = ow + win.PadW;
        int kd0 = FirstTap(td, win.KernelD, win.StrideD, win.DilationD, a.StepD);
        int kh0 = FirstTap(th, win.KernelH, win.StrideH, win.DilationH, a.StepH);
        int kw0 = FirstTap(tw, win.KernelW, win.StrideW, win.DilationW, a.StepW);
        int xBase = (img * a.C + g * a.Cg) * a.InSize;
        int wBase = (g * a.Cg * a.Mg + mm) * a.KernelSize;
        int wChannelStride = a.Mg * a.KernelSize;
        float sum = 0f;
        for (int kd = kd0; kd < win.KernelD; kd += a.StepD)
        {
            int rd = td - kd * win.DilationD;
            if (rd < 0) break;   // later taps only move further left
            int id = rd / win.StrideD;
            if (id >= win.InD) continue;
            for (int kh = kh0; kh < win.KernelH; kh += a.StepH)
            {
                int rh = th - kh * win.DilationH;
                if (rh < 0) break;
                int ih = rh / win.StrideH;
                if (ih >= win.InH) continue;
                for (int kw = kw0; kw < win.KernelW; kw += a.StepW)
                {
                    int rw = tw - kw * win.DilationW;
                    if (rw < 0) break;
                    int iw = rw / win.StrideW;
                    if (iw >= win.InW) continue;
                    int xi = xBase + (id * win.InH + ih) * win.InW + iw;
                    int wi = wBase + (kd * win.KernelH + kh) * win.KernelW + kw;
                    for (int c = 0; c < a.Cg; c++)
                        sum += x[xi + c * a.InSize] * w[wi + c * wChannelStride];
                }
            }
        }
        if (a.HasBias != 0) sum += bias[ch];
        y[idx] = sum;
    }

    /// <summary>The first tap k (below <paramref name="step"/>) with t − k·dilation divisible by the stride, else the kernel size.</summary>
    private static int FirstTap(int t, int kernel, int stride, int dilation, int step)
    {
        int limit = step < kernel ? step : kernel;
        for (int k = 0; k < limit; k++)
            if ((t - k * dilation) % stride == 0) return k;
        return kernel;
    }

    /// <summary>The flat, kernel-side copy of <see cref="GpuConvTransposeParams"/> plus the per-axis tap steps.</summary>
    internal readonly struct ConvTransposeArgs
    {
        public readonly GpuWindow Window;
        public readonly int C, M, Cg, Mg, KernelSize, InSize, OutSize, StepD, StepH, StepW, HasBias;

        public ConvTransposeArgs(in GpuConvTransposeParams p)
        {
            Window = p.Window;
            C = p.Channels;
            M = p.OutputChannels;
            Cg = p.ChannelsPerGroup;
            Mg = p.OutputChannelsPerGroup;
            KernelSize = p.Window.KernelSize;
            InSize = p.Window.InputSize;
            OutSize = p.Window.OutputSize;
            StepD = TapStep(p.Window.StrideD, p.Window.DilationD);
            StepH = TapStep(p.Window.StrideH, p.Window.DilationH);
            StepW = TapStep(p.Window.StrideW, p.Window.DilationW);
            HasBias = p.HasBias ? 1 : 0;
        }

        /// <summary>stride / gcd(stride, dilation): the distance between consecutive taps that land on an input.</summary>
        internal static int TapStep(int stride, int dilation)
        {
            int a = stride, b = dilation;
            while (b != 0) (a, b) = (b, a % b);
            return stride / a;
        }
    }
}
