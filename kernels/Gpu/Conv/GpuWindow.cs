using NativeInfer.Kernels.Cpu;

namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// The sliding-window geometry of a GPU convolution or pooling, always viewed as 3-D (a 2-D window has
/// <c>InD = OutD = KernelD = 1</c>, a 1-D one also height 1): input and output sizes, kernel, strides, dilations and
/// leading pads. Trailing pads are implied by the output size. Plain ints so that kernels take it by value.
/// </summary>
public readonly record struct GpuWindow(
    int InD, int InH, int InW,
    int OutD, int OutH, int OutW,
    int KernelD, int KernelH, int KernelW,
    int StrideD, int StrideH, int StrideW,
    int DilationD, int DilationH, int DilationW,
    int PadD, int PadH, int PadW)
{
    /// <summary>Elements of one input plane.</summary>
    public int InputSize => InD * InH * InW;

    /// <summary>Elements of one output plane.</summary>
    public int OutputSize => OutD * OutH * OutW;

    /// <summary>Elements of one kernel window.</summary>
    public int KernelSize => KernelD * KernelH * KernelW;

    /// <summary>The same geometry as the CPU kernels' <see cref="SpatialGeometry"/> (1 to 3 spatial dims).</summary>
    public static GpuWindow From(SpatialGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return From(g.Input, g.Kernel, g.Strides, g.Dilations, g.PadBegin, g.Output);
    }

    /// <summary>From per-dimension arrays (1 to 3 entries each, outermost spatial dim first).</summary>
    public static GpuWindow From(int[] input, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] output)
    {
        int rank = input.Length;
        if (rank is < 1 or > 3) throw new NotSupportedException($"{rank} spatial dimensions are not supported (1 to 3 are).");
        if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || padBegin.Length != rank || output.Length != rank)
            throw new ArgumentException("Geometry arrays must all have one entry per spatial dimension.");
        int[] i3 = To3(input, 1), k3 = To3(kernel, 1), s3 = To3(strides, 1), d3 = To3(dilations, 1), p3 = To3(padBegin, 0), o3 = To3(output, 1);
        for (int a = 0; a < 3; a++)
        {
            if (i3[a] < 0 || o3[a] < 0 || k3[a] < 1 || s3[a] < 1 || d3[a] < 1 || p3[a] < 0)
                throw new ArgumentException("Sizes and pads must be non-negative; kernel, strides and dilations positive.");
        }
        _ = checked(i3[0] * i3[1] * i3[2] + o3[0] * o3[1] * o3[2] + k3[0] * k3[1] * k3[2]);
        return new GpuWindow(i3[0], i3[1], i3[2], o3[0], o3[1], o3[2], k3[0], k3[1], k3[2],
            s3[0], s3[1], s3[2], d3[0], d3[1], d3[2], p3[0], p3[1], p3[2]);
    }

    private static int[] To3(int[] v, int fill)
    {
        var r = new int[3];
        int off = 3 - v.Length;
        for (int i = 0; i < 3; i++) r[i] = i < off ? fill : v[i - off];
        return r;
    }
}
