using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// Float32 NCHW convolution over 1-3 spatial dims on an ILGPU accelerator, with the fused epilogue (bias, residual,
/// activation). Strides, dilations, asymmetric pads (the trailing pad is implied by the output size) and groups.
/// </summary>
/// <remarks>
/// <para>General route: an implicit GEMM per group, C[m, n] = Σ_k W[m, k] · im2col(X)[k, n] with m the output channel,
/// n = (image, output position) and k = (input channel, kernel offset). A group of 16×16 threads computes a 64×64
/// tile of C, each thread 4×4 outputs (rows ty + 16i, columns tx + 16j, so neighbouring threads write neighbouring
/// outputs); the K loop stages 16-deep slices of W and of the im2col matrix (gathered on the fly, zero outside the
/// image) in shared memory.</para>
/// <para>Depthwise route (one input channel per group): one thread per output, the window read straight from X.</para>
/// <para>Loaded once per accelerator; <see cref="Run"/> only enqueues. Indices are 32-bit (tensors below 2^31 elements).</para>
/// </remarks>
public sealed class GpuConvolution
{
    internal const int Tile = 64;
    internal const int TileK = 16;
    internal const int Threads = 16;

    private readonly Action<AcceleratorStream, KernelConfig, ConvArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _gemm;
    private readonly Action<AcceleratorStream, Index1D, ConvArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _depthwise;

    public GpuConvolution(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < Threads * Threads)
            throw new NotSupportedException($"The conv kernel needs {Threads * Threads} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _gemm = accelerator.LoadKernel<ConvArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitGemmKernel);
        _depthwise = accelerator.LoadAutoGroupedKernel<Index1D, ConvArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DepthwiseKernel);
    }

    /// <summary>
    /// Enqueues Y = act(conv(X, W) + bias + residual). <paramref name="bias"/> (OutputChannels values) and
    /// <paramref name="residual"/> (Y's shape, not overlapping Y) are read only when the params say so; pass
    /// <c>default</c> views otherwise.
    /// </summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias,
        ArrayView<float> residual, ArrayView<float> y, in GpuConvParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        p.Validate();
        if (x.Length < p.InputElements) throw new ArgumentException("X is smaller than Batch × Channels × input size.");
        if (w.Length < p.WeightElements) throw new ArgumentException("W is smaller than M × C/group × kernel size.");
        if (y.Length < p.OutputElements) throw new ArgumentException("Y is smaller than Batch × M × output size.");
        if (p.HasBias && bias.Length < p.OutputChannels) throw new ArgumentException("The bias needs one value per output channel.");
        if (p.HasResidual && residual.Length < p.OutputElements) throw new ArgumentException("The residual must have Y's shape.");
        if (p.OutputElements == 0) return;
        var args = new ConvArgs(p);
        // Empty views cannot be bound on every backend: a 1-element stand-in is never read when the flag is off.
        if (!p.HasBias) bias = y.SubView(0, 1);
        if (!p.HasResidual) residual = y.SubView(0, 1);
        if (p.IsDepthwise)
        {
            _depthwise(stream, (int)p.OutputElements, args, x, w, bias, residual, y);
            return;
        }
        int columns = args.Columns;
        var grid = new Index3D((columns + Tile - 1) / Tile, (args.Mg + Tile - 1) / Tile, p.Group);
        _gemm(stream, new KernelConfig(grid, new Index3D(Threads, Threads, 1)), args, x, w, bias, residual, y);
    }

    internal static void ImplicitGemmKernel(ConvArgs a, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias,
        ArrayView<float> residual, ArrayView<float> y)
    {
        var sa = SharedMemory.Allocate<float>(TileK * Tile);   // [k][m]
        var sb = SharedMemory.Allocate<float>(TileK * Tile);   // [k][n]
        int tx = Group.IdxX, ty = Group.IdxY, t = ty * Threads + tx;
        int n0 = Grid.IdxX * Tile, m0 = Grid.IdxY * Tile, g = Grid.IdxZ;
        var win = a.Window;
        int outSize = a.OutSize, kdim = a.Kdim, ksize = a.KernelSize, khw = win.KernelH * win.KernelW;
        int wBase = g * a.Mg * kdim;
        int cBase = g * a.Cg;

        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;

        for (int k0 = 0; k0 < kdim; k0 += TileK)
        {
            for (int r = 0; r < 4; r++)
            {
                // W slice: consecutive threads read consecutive k of one output channel.
                int e = t + r * Threads * Threads;
                int kk = e % TileK, mm = e / TileK;
                int k = k0 + kk, m = m0 + mm;
                sa[kk * Tile + mm] = k < kdim && m < a.Mg ? w[wBase + m * kdim + k] : 0f;

                // im2col slice: consecutive threads read consecutive output positions.
                int nn = e % Tile;
                kk = e / Tile;
                k = k0 + kk;
                int col = n0 + nn;
                float v = 0f;
                if (k < kdim && col < a.Columns)
                {
                    int img = col / outSize, pos = col - img * outSize;
                    int ow = pos % win.OutW, q = pos / win.OutW, oh = q % win.OutH, od = q / win.OutH;
                    int c = k / ksize, kr = k - c * ksize;
                    int kd = kr / khw;
                    kr -= kd * khw;
                    int kh = kr / win.KernelW, kw = kr - kh * win.KernelW;
                    int id = od * win.StrideD - win.PadD + kd * win.DilationD;
                    int ih = oh * win.StrideH - win.PadH + kh * win.DilationH;
                    int iw = ow * win.StrideW - win.PadW + kw * win.DilationW;
                    if (id >= 0 && id < win.InD && ih >= 0 && ih < win.InH && iw >= 0 && iw < win.InW)
                        v = x[(((img * a.C + cBase + c) * win.InD + id) * win.InH + ih) * win.InW + iw];
                }
                sb[kk * Tile + nn] = v;
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                int ra = kk * Tile + ty, rb = kk * Tile + tx;
                float a0 = sa[ra], a1 = sa[ra + 16], a2 = sa[ra + 32], a3 = sa[ra + 48];
                float b0 = sb[rb], b1 = sb[rb + 16], b2 = sb[rb + 32], b3 = sb[rb + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }

        int mBase = m0 + ty, nBase = n0 + tx;
        Store(a, bias, residual, y, g, mBase, nBase, c00); Store(a, bias, residual, y, g, mBase, nBase + 16, c01);
        Store(a, bias, residual, y, g, mBase, nBase + 32, c02); Store(a, bias, residual, y, g, mBase, nBase + 48, c03);
        Store(a, bias, residual, y, g, mBase + 16, nBase, c10); Store(a, bias, residual, y, g, mBase + 16, nBase + 16, c11);
        Store(a, bias, residual, y, g, mBase + 16, nBase + 32, c12); Store(a, bias, residual, y, g, mBase + 16, nBase + 48, c13);
        Store(a, bias, residual, y, g, mBase + 32, nBase, c20); Store(a, bias, residual, y, g, mBase + 32, nBase + 16, c21);
        Store(a, bias, residual, y, g, mBase + 32, nBase + 32, c22); Store(a, bias, residual, y, g, mBase + 32, nBase + 48, c23);
        Store(a, bias, residual, y, g, mBase + 48, nBase, c30); Store(a, bias, residual, y, g, mBase + 48, nBase + 16, c31);
        Store(a, bias, residual, y, g, mBase + 48, nBase + 32, c32); Store(a, bias, residual, y, g, mBase + 48, nBase + 48, c33);
    }

    private static void Store(in ConvArgs a, ArrayView<float> bias, ArrayView<float> residual, ArrayView<float> y,
        int g, int m, int col, float v)
    {
        if (m >= a.Mg || col >= a.Columns) return;
        int ch = g * a.Mg + m;
        int img = col / a.OutSize, pos = col - img * a.OutSize;
        int idx = (img * a.M + ch) * a.OutSize + pos;
        if (a.HasBias != 0) v += bias[ch];
        if (a.HasResidual != 0) v += residual[idx];
        y[idx] = a.Activation.Apply(v);
    }

    internal static void DepthwiseKernel(Index1D index, ConvArgs a, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias,
        ArrayView<float> residual, ArrayView<float> y)
    {
        int idx = index;
        var win = a.Window;
        int pos = idx % a.OutSize, plane = idx / a.OutSize;
        int ch = plane % a.M, img = plane / a.M;
        int c = ch / a.Mg;   // one input channel per group
        int ow = pos % win.OutW, q = pos / win.OutW, oh = q % win.OutH, od = q / win.OutH;
        int xBase = (img * a.C + c) * win.InD * win.InH * win.InW;
        int wBase = ch * a.KernelSize;
        float sum = 0f;
        for (int kd = 0; kd < win.KernelD; kd++)
        {
            int id = od * win.StrideD - win.PadD + kd * win.DilationD;
            if (id < 0 || id >= win.InD) continue;
            for (int kh = 0; kh < win.KernelH; kh++)
            {
                int ih = oh * win.StrideH - win.PadH + kh * win.DilationH;
                if (ih < 0 || ih >= win.InH) continue;
                int xRow = xBase + (id * win.InH + ih) * win.InW;
                int wRow = wBase + (kd * win.KernelH + kh) * win.KernelW;
                for (int kw = 0; kw < win.KernelW; kw++)
                {
                    int iw = ow * win.StrideW - win.PadW + kw * win.DilationW;
                    if (iw >= 0 && iw < win.InW) sum += x[xRow + iw] * w[wRow + kw];
                }
            }
        }
        if (a.HasBias != 0) sum += bias[ch];
        if (a.HasResidual != 0) sum += residual[idx];
        y[idx] = a.Activation.Apply(sum);
    }

    /// <summary>The flat, kernel-side copy of <see cref="GpuConvParams"/>.</summary>
    internal readonly struct ConvArgs
    {
        public readonly GpuWindow Window;
        public readonly GpuActivation Activation;
        public readonly int C, M, Cg, Mg, Kdim, KernelSize, OutSize, Columns, HasBias, HasResidual;

        public ConvArgs(in GpuConvParams p)
        {
            Window = p.Window;
            Activation = new GpuActivation(p.Activation);
            C = p.Channels;
            M = p.OutputChannels;
            Cg = p.ChannelsPerGroup;
            Mg = p.OutputChannelsPerGroup;
            KernelSize = p.Window.KernelSize;
            Kdim = Cg * KernelSize;
            OutSize = p.Window.OutputSize;
            Columns = p.Batch * OutSize;
            HasBias = p.HasBias ? 1 : 0;
            HasResidual = p.HasResidual ? 1 : 0;
        }
    }
}
