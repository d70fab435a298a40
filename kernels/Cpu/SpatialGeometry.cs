using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// The sliding-window geometry of a convolution or pooling over 1 to 3 spatial dims: input and output sizes, kernel,
/// strides, dilations and leading pads. Trailing pads are implied by the output size. Internally every geometry is
/// viewed as 3-D (missing leading dims have size 1), so kernels need one loop nest for all ranks.
/// </summary>
public sealed class SpatialGeometry
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SpatialGeometry(int[] input, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] output)
    {
        int rank = input.Length;
        if (rank is < 1 or > 3) throw new NotSupportedException($"{rank} spatial dimensions are not supported (1 to 3 are).");
        if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || padBegin.Length != rank || output.Length != rank)
            throw new ArgumentException("Geometry arrays must all have one entry per spatial dimension.");
        Rank = rank;
        Input = input;
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        PadBegin = padBegin;
        Output = output;
        In3 = To3(input, 1);
        Kernel3 = To3(kernel, 1);
        Stride3 = To3(strides, 1);
        Dilation3 = To3(dilations, 1);
        Pad3 = To3(padBegin, 0);
        Out3 = To3(output, 1);
        for (int i = 0; i < 3; i++)
        {
            if (In3[i] < 0 || Out3[i] < 0 || Kernel3[i] < 1 || Stride3[i] < 1 || Dilation3[i] < 1)
                throw new ArgumentException("Sizes must be non-negative; kernel, strides and dilations positive.");
        }
        InputSize = checked(In3[0] * In3[1] * In3[2]);
        KernelSize = checked(Kernel3[0] * Kernel3[1] * Kernel3[2]);
        OutputSize = checked(Out3[0] * Out3[1] * Out3[2]);
    }

    public int Rank { get; }
    public int[] Input { get; }
    public int[] Kernel { get; }
    public int[] Strides { get; }
    public int[] Dilations { get; }
    public int[] PadBegin { get; }
    public int[] Output { get; }

    /// <summary>Elements of one input channel.</summary>
    public int InputSize { get; }

    /// <summary>Elements of one kernel window.</summary>
    public int KernelSize { get; }

    /// <summary>Elements of one output channel.</summary>
    public int OutputSize { get; }

    internal int[] In3 { get; }
    internal int[] Kernel3 { get; }
    internal int[] Stride3 { get; }
    internal int[] Dilation3 { get; }
    internal int[] Pad3 { get; }
    internal int[] Out3 { get; }

    /// <summary>True when the window is a single point read at every input position: 1×1 kernel, stride 1, no padding.</summary>
    public bool IsPointwise
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            for (int i = 0; i < 3; i++)
                if (Kernel3[i] != 1 || Stride3[i] != 1 || Pad3[i] != 0 || In3[i] != Out3[i]) return false;
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] To3(int[] v, int fill)
    {
        var r = new int[3];
        int off = 3 - v.Length;
        for (int i = 0; i < 3; i++) r[i] = i < off ? fill : v[i - off];
        return r;
    }
}
