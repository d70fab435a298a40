using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Convolution weights W [M, C/group, kernel...] prepared once (at model load) for <see cref="Convolution"/>: each
/// group's M/group × (C/group·KernelSize) block packed as SGEMM's left operand — except for depthwise 1-D/2-D convs,
/// which run the direct kernel on the plain weights. Immutable; shared by every run and thread.
/// </summary>
public sealed class ConvWeights
{
    private readonly SgemmPackedA[]? _packed;
    private readonly float[] _plain;

    private ConvWeights(SgemmPackedA[]? packed, float[] plain, int outputChannels, int group, int channelsPerGroup, int[] kernel)
    {
        _packed = packed;
        _plain = plain;
        OutputChannels = outputChannels;
        Group = group;
        ChannelsPerGroup = channelsPerGroup;
        Kernel = kernel;
    }

    /// <summary>M.</summary>
    public int OutputChannels { get; }
    public int Group { get; }
    /// <summary>C / group.</summary>
    public int ChannelsPerGroup { get; }
    /// <summary>The kernel's spatial shape.</summary>
    public int[] Kernel { get; }

    internal SgemmPackedA? PackedGroup(int g) => _packed?[g];

    /// <summary>Per group, the weights packed by channel block for <see cref="ChannelBlockConvolution"/>, built on first use.</summary>
    private float[]?[]? _channelBlocks;

    /// <summary>
    /// Group <paramref name="g"/>'s weights in <see cref="ChannelBlockConvolution"/>'s layout (pinned, 64-byte aligned),
    /// re-packed from the AVX-512 SGEMM packing the first time a conv takes that route. Thread-safe.
    /// </summary>
    internal unsafe float* ChannelBlocks(int g)
    {
        var all = _channelBlocks ?? Interlocked.CompareExchange(ref _channelBlocks, new float[]?[Group], null) ?? _channelBlocks!;
        var blocks = Volatile.Read(ref all[g]);
        if (blocks is null)
        {
            var a = _packed?[g] ?? throw new InvalidOperationException("Depthwise weights have no channel-block packing.");
            long length = ChannelBlockConvolution.PackedLength(a.Rows, a.Depth) + 16;
            if (length > Array.MaxLength) throw new ArgumentException("Conv weights are too large.");
            var fresh = GC.AllocateUninitializedArray<float>((int)length, pinned: true);
            ChannelBlockConvolution.Pack(a, Align(fresh));
            blocks = Interlocked.CompareExchange(ref all[g], fresh, null) ?? fresh;
        }
        return Align(blocks);
    }

    private static unsafe float* Align(float[] pinned) =>
        SgemmScratch.Align((float*)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(pinned)));
    /// <summary>The plain weights, kept only when nothing is packed (depthwise); empty otherwise.</summary>
    internal ReadOnlySpan<float> Plain => _plain;

    /// <summary>True when <see cref="Convolution"/> runs these weights on the direct depthwise kernel.</summary>
    internal static bool IsDepthwise(int group, int channelsPerGroup, int spatialRank) =>
        group > 1 && channelsPerGroup == 1 && spatialRank <= 2;

    /// <summary>Packs W [M, C/group, kernel...] (row-major, <paramref name="w"/>) for <paramref name="group"/> groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvWeights Pack(ReadOnlySpan<float> w, int outputChannels, int group, int channelsPerGroup, int[] kernel)
    {
        if (outputChannels < 0 || group < 1 || channelsPerGroup < 0 || outputChannels % group != 0 || kernel.Length is < 1 or > 3 || kernel.Any(k => k < 1))
            throw new ArgumentException($"Invalid conv weight shape: {outputChannels} output channels, group {group}, {channelsPerGroup} channels per group.");
        long depthL = (long)channelsPerGroup * kernel.Aggregate(1L, (a, b) => a * b);
        long count = outputChannels * depthL;
        if (count > Array.MaxLength) throw new ArgumentException("Conv weights are too large.");
        if (w.Length < count) throw new ArgumentException($"Conv weights have {w.Length} values; {count} are needed.");
        int mg = outputChannels / group, depth = (int)depthL;
        SgemmPackedA[]? packed = null;
        if (!IsDepthwise(group, channelsPerGroup, kernel.Length))
        {
            packed = new SgemmPackedA[group];
            for (int g = 0; g < group; g++)
                packed[g] = Sgemm.PackA(false, mg, depth, w.Slice(g * mg * depth, mg * depth), Math.Max(depth, 1));
        }
        // Packed weights are all a packed conv reads: keeping a plain copy as well would hold every conv weight twice.
        float[] plain = packed is null ? w[..(int)count].ToArray() : [];
        return new ConvWeights(packed, plain, outputChannels, group, channelsPerGroup, (int[])kernel.Clone());
    }
}
