namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// One float32 transposed convolution for <see cref="GpuConvTranspose"/>: X [Batch, Channels, in...], W [Channels,
/// OutputChannels/Group, kernel...], Y [Batch, OutputChannels, out...], <c>Y = convTranspose(X, W) + bias[m]</c> (the
/// bias only when <see cref="HasBias"/>). <see cref="Window"/> holds the X sizes as its input, the Y sizes as its
/// output and Y's leading pads, which may be negative here (an output_shape beyond the natural size: the positions
/// outside the natural output receive no tap and hold the bias alone).
/// </summary>
public readonly record struct GpuConvTransposeParams(int Batch, int Channels, int OutputChannels, int Group, GpuWindow Window, bool HasBias = false)
{
    public int ChannelsPerGroup => Channels / Group;
    public int OutputChannelsPerGroup => OutputChannels / Group;

    /// <summary>Elements of X, W and Y.</summary>
    public long InputElements => (long)Batch * Channels * Window.InputSize;
    public long WeightElements => (long)Channels * OutputChannelsPerGroup * Window.KernelSize;
    public long OutputElements => (long)Batch * OutputChannels * Window.OutputSize;

    /// <summary>
    /// The params from per-dimension arrays (1 to 3 entries each, outermost spatial dim first): X's spatial sizes, Y's,
    /// the kernel, strides, dilations and Y's leading pads (negative allowed).
    /// </summary>
    public static GpuConvTransposeParams Create(int batch, int channels, int outputChannels, int group,
        int[] input, int[] output, int[] kernel, int[] strides, int[] dilations, int[] padBegin, bool hasBias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(strides);
        ArgumentNullException.ThrowIfNull(dilations);
        ArgumentNullException.ThrowIfNull(padBegin);
        int rank = input.Length;
        if (rank is < 1 or > 3) throw new NotSupportedException($"{rank} spatial dimensions are not supported (1 to 3 are).");
        if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || padBegin.Length != rank || output.Length != rank)
            throw new ArgumentException("Geometry arrays must all have one entry per spatial dimension.");
        int[] i3 = To3(input, 1), o3 = To3(output, 1), k3 = To3(kernel, 1), s3 = To3(strides, 1), d3 = To3(dilations, 1), p3 = To3(padBegin, 0);
        var window = new GpuWindow(i3[0], i3[1], i3[2], o3[0], o3[1], o3[2], k3[0], k3[1], k3[2],
            s3[0], s3[1], s3[2], d3[0], d3[1], d3[2], p3[0], p3[1], p3[2]);
        var p = new GpuConvTransposeParams(batch, channels, outputChannels, group, window, hasBias);
        p.Validate();
        return p;
    }

    internal void Validate()
    {
        if (Batch < 0 || Channels < 0 || OutputChannels < 0 || Group < 1 || Channels % Group != 0 || OutputChannels % Group != 0)
            throw new ArgumentException($"Invalid ConvTranspose shape: {Channels} input channels, {OutputChannels} output channels, group {Group}.");
        var w = Window;
        if (w.InD < 0 || w.InH < 0 || w.InW < 0 || w.OutD < 0 || w.OutH < 0 || w.OutW < 0)
            throw new ArgumentException("ConvTranspose sizes must be non-negative.");
        if (w.KernelD < 1 || w.KernelH < 1 || w.KernelW < 1 || w.StrideD < 1 || w.StrideH < 1 || w.StrideW < 1
            || w.DilationD < 1 || w.DilationH < 1 || w.DilationW < 1)
            throw new ArgumentException("ConvTranspose kernel, strides and dilations must be positive.");
        // A tap offset o + pad − k·dilation must fit an int for every output position and kernel tap.
        for (int a = 0; a < 3; a++)
        {
            var (o, k, d, pad) = a switch
            {
                0 => (w.OutD, w.KernelD, w.DilationD, w.PadD),
                1 => (w.OutH, w.KernelH, w.DilationH, w.PadH),
                _ => (w.OutW, w.KernelW, w.DilationW, w.PadW),
            };
            long hi = (long)o + Math.Abs((long)pad), lo = (long)(k - 1) * d + Math.Abs((long)pad);
            if (hi > int.MaxValue || lo > int.MaxValue) throw new NotSupportedException("ConvTranspose geometry exceeds 32-bit offsets.");
        }
        if ((long)w.InD * w.InH * w.InW > int.MaxValue || (long)w.OutD * w.OutH * w.OutW > int.MaxValue
            || (long)w.KernelD * w.KernelH * w.KernelW > int.MaxValue
            || InputElements > int.MaxValue || OutputElements > int.MaxValue || WeightElements > int.MaxValue)
            throw new NotSupportedException("GPU ConvTranspose tensors are limited to 2^31 - 1 elements.");
    }

    private static int[] To3(int[] v, int fill)
    {
        var r = new int[3];
        int off = 3 - v.Length;
        for (int i = 0; i < 3; i++) r[i] = i < off ? fill : v[i - off];
        return r;
    }
}
