using NativeInfer.Kernels.Cpu;

namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// One float32 NCHW convolution for <see cref="GpuConvolution"/>: X [Batch, Channels, in...], W [OutputChannels,
/// Channels/Group, kernel...], Y [Batch, OutputChannels, out...];
/// <c>Y = Activation(conv(X, W) + bias[m] + residual)</c>, the bias and the Y-shaped residual used only when
/// <see cref="HasBias"/> / <see cref="HasResidual"/>.
/// </summary>
public readonly record struct GpuConvParams(
    int Batch, int Channels, int OutputChannels, int Group, GpuWindow Window,
    SgemmActivation Activation = default, bool HasBias = false, bool HasResidual = false)
{
    public int ChannelsPerGroup => Channels / Group;
    public int OutputChannelsPerGroup => OutputChannels / Group;

    /// <summary>Elements of X, W and Y.</summary>
    public long InputElements => (long)Batch * Channels * Window.InputSize;
    public long WeightElements => (long)OutputChannels * ChannelsPerGroup * Window.KernelSize;
    public long OutputElements => (long)Batch * OutputChannels * Window.OutputSize;

    /// <summary>True for the direct depthwise kernel: one input channel per group.</summary>
    public bool IsDepthwise => Group > 1 && Group == Channels;

    internal void Validate()
    {
        if (Batch < 0 || Channels < 0 || OutputChannels < 0 || Group < 1 || Channels % Group != 0 || OutputChannels % Group != 0)
            throw new ArgumentException($"Invalid conv shape: {Channels} input channels, {OutputChannels} output channels, group {Group}.");
        if (InputElements > int.MaxValue || OutputElements > int.MaxValue || WeightElements > int.MaxValue)
            throw new NotSupportedException("GPU conv tensors are limited to 2^31 - 1 elements.");
        _ = new GpuActivation(Activation);
    }
}
