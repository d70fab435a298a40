using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Float32 convolution over 1-3 spatial dims with a fused epilogue:
/// <c>Y = activation(conv(X, W) + bias[channel] + residual)</c>, X [N, C, in...], W [M, C/group, kernel...],
/// Y [N, M, out...], residual empty or Y-shaped (not overlapping Y).
/// </summary>
/// <remarks>
/// <para>Routes: depthwise 1-D/2-D (one input channel per group) → <see cref="DepthwiseConv"/>; pointwise (1×1,
/// stride 1, no pad) → one SGEMM per (image, group) straight on the image, W·X; other 1-D/2-D convs whose output grid
/// wastes little → <see cref="WindowConvolution"/> (B rows are shifted windows of one padded, phase-split copy of the
/// image); the rest (3-D, tiny outputs of wide kernels) → SGEMM with the im2col matrix written straight into packed B
/// panels (<see cref="Im2ColPacker"/>). The bias, residual and activation run
/// in the SGEMM epilogue while each tile is hot.</para>
/// <para>Threads: a product big enough for the SGEMM to split is run one after another and split by the SGEMM;
/// smaller ones (many groups, small images) are spread over (image, group) with single-threaded SGEMMs, so the two
/// levels never nest.</para>
/// </remarks>
public static unsafe class Convolution
{
    /// <summary>Below this many multiply-adds per (image, group) product the SGEMM stays on one thread (its own threshold).</summary>
    private const long GemmParallelThreshold = 1L << 20;

    /// <summary>Convolution with weights packed once by <see cref="ConvWeights.Pack"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, int batch, int channels, ConvWeights w, SpatialGeometry g,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, SgemmActivation activation = default,
        ConvRoute route = ConvRoute.Auto)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (!w.Kernel.AsSpan().SequenceEqual(g.Kernel))
            throw new ArgumentException($"The packed weights' kernel ({string.Join('x', w.Kernel)}) does not match the geometry's ({string.Join('x', g.Kernel)}).");
        if (channels != w.ChannelsPerGroup * w.Group)
            throw new ArgumentException($"The input has {channels} channels; the packed weights expect {w.ChannelsPerGroup * w.Group}.");
        Run(x, batch, channels, w.Plain, w, w.OutputChannels, w.Group, g, bias, residual, y, activation, route);
    }

    /// <summary>Convolution with plain weights W [M, C/group, kernel...] (packed per call).</summary>
    public static void Forward(ReadOnlySpan<float> x, int batch, int channels, ReadOnlySpan<float> w, int outputChannels, int group,
        SpatialGeometry g, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, SgemmActivation activation = default,
        ConvRoute route = ConvRoute.Auto) =>
        Run(x, batch, channels, w, null, outputChannels, group, g, bias, residual, y, activation, route);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Run(ReadOnlySpan<float> x, int batch, int c, ReadOnlySpan<float> w, ConvWeights? packed, int m, int group,
        SpatialGeometry g, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, SgemmActivation activation,
        ConvRoute route)
    {
        if (route is ConvRoute.Window or ConvRoute.ChannelBlock && g.Rank > 2)
            throw new ArgumentException($"The {route} route handles 1-D and 2-D convolutions only.");
        if (route == ConvRoute.ChannelBlock && !ChannelBlockConvolution.IsSupported)
            throw new PlatformNotSupportedException("The channel-block route needs AVX-512.");
        if (batch < 0 || c < 0 || m < 0 || group < 1 || c % group != 0 || m % group != 0)
            throw new ArgumentException($"Invalid conv shape: {c} input channels, {m} output channels, group {group}.");
        int cg = c / group, mg = m / group;
        long kdim = (long)cg * g.KernelSize;
        long outCount = (long)batch * m * g.OutputSize;
        if ((long)batch * c * g.InputSize > x.Length) throw new ArgumentException("The input is smaller than N × C × input size.");
        if (packed is null && m * kdim > w.Length) throw new ArgumentException("The weights are smaller than M × C/group × kernel size.");
        if (outCount > y.Length) throw new ArgumentException("The output is smaller than N × M × output size.");
        if (!bias.IsEmpty && bias.Length < m) throw new ArgumentException("The bias must have one value per output channel.");
        if (!residual.IsEmpty && residual.Length < outCount) throw new ArgumentException("The residual must have the output's shape.");
        if (outCount == 0) return;
        if (route == ConvRoute.Auto && ConvWeights.IsDepthwise(group, cg, g.Rank))
        {
            DepthwiseConv.Run(x, w, bias, residual, y, batch, c, mg, g, activation);
            return;
        }
        fixed (float* px = x)
        fixed (float* pw = w)
        fixed (float* pb = bias)
        fixed (float* pr = residual)
        fixed (float* py = y)
        {
            var job = new Job
            {
                X = px, W = pw, Bias = bias.IsEmpty ? null : pb, Residual = residual.IsEmpty ? null : pr, Y = py, Packed = packed,
                C = c, M = m, Group = group, G = g, Kdim = (int)kdim, Activation = activation,
            };
            int tasks = batch * group;
            bool channelBlock = route switch
            {
                ConvRoute.ChannelBlock => kdim > 0,
                // Weights packed for the channel-block route run there (they hold no SGEMM packing).
                ConvRoute.Auto => kdim > 0 && g.Rank <= 2 && packed is not null && packed.HasChannelBlocks,
                _ => false,
            };
            if (channelBlock)
            {
                ChannelBlockConvolution.Run(px, batch, c, m, group, g, packed, pw, job.Bias, job.Residual, py, activation);
                return;
            }
            bool window = route switch
            {
                ConvRoute.Window => kdim > 0,
                ConvRoute.Auto => kdim > 0 && !g.IsPointwise && (tasks == 1 || mg * kdim * g.OutputSize >= GemmParallelThreshold) && WindowConvolution.Applies(g, kdim),
                _ => false,
            };
            if (window)
            {
                WindowConvolution.Run(px, batch, c, pw, packed, m, group, g, job.Bias, job.Residual, py, activation);
                return;
            }
            if (tasks > 1 && mg * kdim * g.OutputSize < GemmParallelThreshold) KernelParallelism.For(0, tasks, job.Task);
            else for (int t = 0; t < tasks; t++) job.Task(t);
        }
    }

    private sealed class Job
    {
        public float* X, W, Bias, Residual, Y;
        public ConvWeights? Packed;
        public int C, M, Group, Kdim;
        public SpatialGeometry G = null!;
        public SgemmActivation Activation;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Task(int t)
        {
            int b = t / Group, gi = t % Group, cg = C / Group, mg = M / Group, inSize = G.InputSize, outSize = G.OutputSize;
            float* image = X + ((long)b * C + (long)gi * cg) * inSize;
            long yOff = ((long)b * M + (long)gi * mg) * outSize;
            var ys = new Span<float>(Y + yOff, mg * outSize);
            var epilogue = new SgemmEpilogue
            {
                Bias = Bias == null ? default : new ReadOnlySpan<float>(Bias + gi * mg, mg),
                BiasKind = Bias == null ? SgemmBiasKind.None : SgemmBiasKind.PerRow,
                Residual = Residual == null ? default : new ReadOnlySpan<float>(Residual + yOff, mg * outSize),
                ResidualStride = outSize,
                Activation = Activation,
            };
            if (Kdim == 0)
            {
                // No input channels: the output is the epilogue of zero.
                ys.Clear();
                for (int r = 0; r < mg; r++)
                    SgemmActivations.ApplyRow(Y + yOff + (long)r * outSize, outSize, Bias == null ? 0f : Bias[gi * mg + r], null,
                        Residual == null ? null : Residual + yOff + (long)r * outSize, Activation);
                return;
            }
            var packedA = Packed?.PackedGroup(gi);
            var wg = packedA is null ? new ReadOnlySpan<float>(W + (long)gi * mg * Kdim, mg * Kdim) : default;
            if (G.IsPointwise)
            {
                if (WindowConvolution.TryPointwise(image, cg, inSize, packedA, Bias == null ? null : Bias + gi * mg,
                        Residual == null ? null : Residual + yOff, Y + yOff, Activation))
                    return;
                var xs = new ReadOnlySpan<float>(image, cg * inSize);
                if (packedA is not null) Sgemm.Multiply(packedA, false, outSize, 1f, xs, inSize, 0f, ys, outSize, epilogue);
                else Sgemm.Multiply(false, false, mg, outSize, cg, 1f, wg, cg, xs, inSize, 0f, ys, outSize, epilogue);
            }
            else
            {
                var packer = new Im2ColPacker(image, G, Sgemm.PanelWidth);
                if (packedA is not null) Sgemm.Multiply(packedA, packer, outSize, 1f, 0f, ys, outSize, epilogue);
                else Sgemm.Multiply(false, mg, outSize, Kdim, 1f, wg, Kdim, packer, 0f, ys, outSize, epilogue);
            }
        }
    }
}

/// <summary>Which algorithm <see cref="Convolution"/> uses; anything but <see cref="Auto"/> is for tests and benchmarks.</summary>
public enum ConvRoute
{
    /// <summary>Depthwise kernel, pointwise GEMM, window SGEMM or im2col SGEMM, whichever suits the shape.</summary>
    Auto,
    /// <summary>Pointwise GEMM when the window is one point, else im2col written into packed panels (never depthwise).</summary>
    Im2Col,
    /// <summary>The shifted-window SGEMM over a padded, phase-split copy of the image (1-D and 2-D only).</summary>
    Window,
    /// <summary>Tiles of 64 output channels × 6 pixels on AVX-512, no wasted grid columns (1-D and 2-D; AVX-512 only).</summary>
    ChannelBlock,
}
