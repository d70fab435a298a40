using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Convolution weights W [M, C/group, kernel...] prepared once (at model load) for <see cref="Convolution"/>: each
/// group's M/group × (C/group·KernelSize) block packed as SGEMM's left operand — except for depthwise 1-D/2-D convs,
/// which run the direct kernel on the plain weights. Immutable; shared by every run and thread.
/// </summary>
public sealed class ConvWeights
{
    private readonly SgemmPackedA?[]? _packed;
    private readonly float[] _plain;

    private ConvWeights(SgemmPackedA?[]? packed, float[] plain, int outputChannels, int group, int channelsPerGroup, int[] kernel)
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

    /// <summary>
    /// Group <paramref name="g"/>'s SGEMM packing; null for depthwise weights. Once the group has moved to the
    /// channel-block layout the SGEMM packing is rebuilt from it on demand (only a forced route asks for it then).
    /// </summary>
    internal SgemmPackedA? PackedGroup(int g)
    {
        if (_packed is null) return null;
        return Volatile.Read(ref _packed[g]) ?? RebuildPacked(g);
    }

    /// <summary>The ISA of the SGEMM packing made by <see cref="Pack"/> (null for depthwise weights).</summary>
    internal SgemmIsa? PackedIsa { get; private init; }

    /// <summary>Per group, the weights packed by channel block for <see cref="ChannelBlockConvolution"/>, built on first use.</summary>
    private float[]?[]? _channelBlocks;

    private volatile bool _hasChannelBlocks;

    /// <summary>True once every group holds the channel-block layout: Auto then keeps these weights on that route.</summary>
    internal bool HasChannelBlocks => _hasChannelBlocks;

    /// <summary>
    /// Group <paramref name="g"/>'s weights in <see cref="ChannelBlockConvolution"/>'s layout (pinned, 64-byte aligned),
    /// re-packed from the AVX-512 SGEMM packing the first time a conv takes that route; the SGEMM packing is then
    /// dropped, so the weights are held once. Thread-safe (a run still reading the dropped packing keeps it alive).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal unsafe float* ChannelBlocks(int g)
    {
        var all = Volatile.Read(ref _channelBlocks) ?? Interlocked.CompareExchange(ref _channelBlocks, new float[]?[Group], null) ?? _channelBlocks!;
        var blocks = Volatile.Read(ref all[g]);
        if (blocks is null)
        {
            var a = PackedGroup(g) ?? throw new InvalidOperationException("Depthwise weights have no channel-block packing.");
            long length = ChannelBlockConvolution.PackedLength(a.Rows, a.Depth) + 16;
            if (length > Array.MaxLength) throw new ArgumentException("Conv weights are too large.");
            var fresh = GC.AllocateUninitializedArray<float>((int)length, pinned: true);
            ChannelBlockConvolution.Pack(a, Align(fresh));
            blocks = Interlocked.CompareExchange(ref all[g], fresh, null) ?? fresh;
            Volatile.Write(ref _packed![g], null);
            bool every = true;
            for (int i = 0; i < all.Length; i++) every &= Volatile.Read(ref all[i]) is not null;
            if (every) _hasChannelBlocks = true;
        }
        return Align(blocks);
    }

    /// <summary>The SGEMM packing of a group that moved to the channel-block layout, unpacked from it (and kept).</summary>
    private unsafe SgemmPackedA? RebuildPacked(int g)
    {
        var blocks = _channelBlocks is { } all ? Volatile.Read(ref all[g]) : null;
        if (blocks is null) return Volatile.Read(ref _packed![g]); // raced with ChannelBlocks: it stored its blocks first
        int mg = OutputChannels / Group, depth = ChannelsPerGroup * Kernel.Aggregate(1, (x, y) => x * y);
        var plain = new float[(long)mg * depth];
        fixed (float* p = plain) ChannelBlockConvolution.Unpack(Align(blocks), mg, depth, p);
        var packed = Sgemm.PackA(false, mg, depth, plain, Math.Max(depth, 1));
        return Interlocked.CompareExchange(ref _packed![g], packed, null) ?? packed;
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
    public static unsafe ConvWeights Pack(ReadOnlySpan<float> w, int outputChannels, int group, int channelsPerGroup, int[] kernel)
    {
        if (outputChannels < 0 || group < 1 || channelsPerGroup < 0 || outputChannels % group != 0 || kernel.Length is < 1 or > 3 || kernel.Any(k => k < 1))
            throw new ArgumentException($"Invalid conv weight shape: {outputChannels} output channels, group {group}, {channelsPerGroup} channels per group.");
        long depthL = (long)channelsPerGroup * kernel.Aggregate(1L, (a, b) => a * b);
        long count = outputChannels * depthL;
        if (count > Array.MaxLength) throw new ArgumentException("Conv weights are too large.");
        if (w.Length < count) throw new ArgumentException($"Conv weights have {w.Length} values; {count} are needed.");
        int mg = outputChannels / group, depth = (int)depthL;
        if (ChannelBlockConvolution.Prefers(group, mg, depth, kernel.All(k => k == 1)))
        {
            // Packed for the channel-block route alone; an SGEMM packing is rebuilt from it only if a route asks.
            var blocks = new float[]?[group];
            for (int g = 0; g < group; g++)
            {
                long length = ChannelBlockConvolution.PackedLength(mg, depth) + 16;
                if (length > Array.MaxLength) throw new ArgumentException("Conv weights are too large.");
                blocks[g] = GC.AllocateUninitializedArray<float>((int)length, pinned: true);
                fixed (float* src = w.Slice(g * mg * depth, mg * depth))
                    ChannelBlockConvolution.Pack(src, mg, depth, Align(blocks[g]!));
            }
            return new ConvWeights(new SgemmPackedA?[group], [], outputChannels, group, channelsPerGroup, (int[])kernel.Clone())
            {
                PackedIsa = SgemmIsa.Avx512,
                _channelBlocks = blocks,
                _hasChannelBlocks = true,
            };
        }
        SgemmPackedA?[]? packed = null;
        if (!IsDepthwise(group, channelsPerGroup, kernel.Length))
        {
            packed = new SgemmPackedA?[group];
            for (int g = 0; g < group; g++)
                packed[g] = Sgemm.PackA(false, mg, depth, w.Slice(g * mg * depth, mg * depth), Math.Max(depth, 1));
        }
        // Packed weights are all a packed conv reads: keeping a plain copy as well would hold every conv weight twice.
        float[] plain = packed is null ? w[..(int)count].ToArray() : [];
        return new ConvWeights(packed, plain, outputChannels, group, channelsPerGroup, (int[])kernel.Clone())
        {
            PackedIsa = packed?[0]?.Isa,
        };
    }
}
