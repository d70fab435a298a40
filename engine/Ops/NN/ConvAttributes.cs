using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>How missing pads are chosen (ONNX auto_pad).</summary>
internal enum AutoPad { NotSet, SameUpper, SameLower, Valid }

/// <summary>A resolved window geometry plus the trailing pads the kernels need for padded counts.</summary>
internal sealed record WindowGeometry(SpatialGeometry Geometry, int[] PadEnd);

/// <summary>
/// The window attributes shared by Conv, ConvTranspose and the pooling ops (kernel_shape, strides, pads, dilations,
/// auto_pad, ceil_mode), parsed once at build time and resolved against the input's spatial dims at run time.
/// </summary>
internal sealed class ConvAttributes
{
    /// <summary>The window attributes of a pooling op, which must name its kernel_shape.</summary>
    public static ConvAttributes ForPool(Attributes a)
    {
        if (a.Ints("kernel_shape") is null) throw new NotSupportedException("kernel_shape is required.");
        return new ConvAttributes(a, allowCeil: true);
    }

    public ConvAttributes(Attributes a, bool allowCeil = false)
    {
        AutoPad = ParseAutoPad(a.String("auto_pad", "NOTSET"));
        KernelShape = a.Ints("kernel_shape");
        Strides = a.Ints("strides");
        Pads = a.Ints("pads");
        Dilations = a.Ints("dilations");
        Group = a.Int("group", 1);
        CeilMode = allowCeil && a.Int("ceil_mode", 0) != 0;
        if (Group < 1) throw new NotSupportedException($"group must be positive, got {Group}.");
        if (KernelShape is not null && KernelShape.Any(k => k < 1)) throw new NotSupportedException("kernel_shape entries must be positive.");
        if (Strides is not null && Strides.Any(s => s < 1)) throw new NotSupportedException("strides must be positive.");
        if (Dilations is not null && Dilations.Any(s => s < 1)) throw new NotSupportedException("dilations must be positive.");
        if (Pads is not null && Pads.Any(s => s < 0)) throw new NotSupportedException("pads must be non-negative.");
    }

    public AutoPad AutoPad { get; }
    public long[]? KernelShape { get; }
    public long[]? Strides { get; }
    public long[]? Pads { get; }
    public long[]? Dilations { get; }
    public long Group { get; }
    public bool CeilMode { get; }

    public static AutoPad ParseAutoPad(string s) => s switch
    {
        "NOTSET" or "" => AutoPad.NotSet,
        "SAME_UPPER" => AutoPad.SameUpper,
        "SAME_LOWER" => AutoPad.SameLower,
        "VALID" => AutoPad.Valid,
        _ => throw new NotSupportedException($"auto_pad '{s}' is not supported."),
    };

    /// <summary>The kernel shape: the attribute, else <paramref name="inferred"/> (Conv: W's trailing dims).</summary>
    public int[] Kernel(int rank, ReadOnlySpan<int> inferred)
    {
        if (KernelShape is null)
        {
            if (inferred.Length != rank) throw new ArgumentException("kernel_shape is required.");
            return inferred.ToArray();
        }
        if (KernelShape.Length != rank)
            throw new ShapeMismatchException($"kernel_shape has {KernelShape.Length} dims but the input has {rank} spatial dims.");
        return ShapeUtil.FromInt64(KernelShape);
    }

    public int[] StridesFor(int rank) => Expand(Strides, rank, 1, "strides");

    public int[] DilationsFor(int rank) => Expand(Dilations, rank, 1, "dilations");

    /// <summary>Explicit pads as (begin, end) per spatial dim.</summary>
    public (int[] Begin, int[] End) ExplicitPads(int rank)
    {
        var b = new int[rank];
        var e = new int[rank];
        if (Pads is null) return (b, e);
        if (Pads.Length != 2 * rank) throw new ShapeMismatchException($"pads has {Pads.Length} entries; expected {2 * rank}.");
        for (int i = 0; i < rank; i++)
        {
            b[i] = checked((int)Pads[i]);
            e[i] = checked((int)Pads[i + rank]);
        }
        return (b, e);
    }

    /// <summary>
    /// Output size and pads of a forward window (Conv, pooling) over <paramref name="input"/> spatial dims.
    /// </summary>
    public WindowGeometry Resolve(int[] input, int[] kernel)
    {
        int rank = input.Length;
        var strides = StridesFor(rank);
        var dil = DilationsFor(rank);
        var (pb, pe) = ExplicitPads(rank);
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            long eff = (long)(kernel[i] - 1) * dil[i] + 1;
            switch (AutoPad)
            {
                case AutoPad.SameUpper or AutoPad.SameLower:
                {
                    long o = (input[i] + strides[i] - 1L) / strides[i];
                    long total = Math.Max(0, (o - 1) * strides[i] + eff - input[i]);
                    long small = total / 2;
                    pb[i] = (int)(AutoPad == AutoPad.SameUpper ? small : total - small);
                    pe[i] = (int)(total - pb[i]);
                    output[i] = (int)o;
                    break;
                }
                case AutoPad.Valid:
                    pb[i] = pe[i] = 0;
                    output[i] = OutputSize(input[i], 0, 0, eff, strides[i]);
                    break;
                default:
                    output[i] = OutputSize(input[i], pb[i], pe[i], eff, strides[i]);
                    break;
            }
        }
        return new WindowGeometry(new SpatialGeometry(input, kernel, strides, dil, pb, output), pe);
    }

    private int OutputSize(long input, long padBegin, long padEnd, long eff, long stride)
    {
        long span = input + padBegin + padEnd - eff;
        if (span < 0)
            throw new ShapeMismatchException($"The window ({eff}) is larger than the padded input ({input + padBegin + padEnd}).");
        long o = (CeilMode ? (span + stride - 1) / stride : span / stride) + 1;
        // In ceil mode the last window must start inside the input or its leading padding.
        if (CeilMode && (o - 1) * stride >= input + padBegin) o--;
        if (o > Array.MaxLength) throw new TensorSizeException($"Output dimension {o} is too large.");
        return (int)o;
    }

    private static int[] Expand(long[]? v, int rank, int fill, string name)
    {
        if (v is null) return Enumerable.Repeat(fill, rank).ToArray();
        if (v.Length != rank) throw new ShapeMismatchException($"{name} has {v.Length} entries; expected {rank}.");
        return v.Select(x => checked((int)x)).ToArray();
    }
}
