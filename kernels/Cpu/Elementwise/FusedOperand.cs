namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// An input of a fused evaluation seen from the output's flat index i: its value there is
/// <c>Data[(i / Inner) % Span]</c>. That covers a tensor of the output's shape (Inner 1, Span = n), a scalar (Span 1),
/// and every tensor that broadcasts along leading and trailing axes only: a per-channel [C,1,1] against [N,C,H,W]
/// (Inner H·W, Span C), a [N,C,1,1] tensor (Inner H·W, Span N·C), a row vector [W] (Inner 1, Span W).
/// </summary>
public readonly unsafe struct FusedOperand
{
    public FusedOperand(float* data, int inner, int span)
    {
        if (inner < 1 || span < 1) throw new ArgumentOutOfRangeException(nameof(inner), "Inner and Span must be positive.");
        Data = data;
        Inner = inner;
        Span = span;
    }

    public float* Data { get; }
    public int Inner { get; }
    public int Span { get; }

    /// <summary>
    /// The Inner and Span of a tensor of <paramref name="shape"/> broadcast to <paramref name="output"/> (numpy rules,
    /// aligned right), or false when it does not broadcast, or its non-broadcast axes are not one contiguous run of the
    /// output's axes (size-1 output axes ignored), e.g. [C,1,W] against [N,C,H,W]: such an input must be expanded first.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryDescribe(ReadOnlySpan<int> shape, ReadOnlySpan<int> output, out int inner, out int span)
    {
        inner = 1;
        span = 1;
        int rank = output.Length, offset = rank - shape.Length;
        if (offset < 0) return false;
        int phase = 0;   // 0: before the matched run, 1: inside it, 2: after it
        long innerProduct = 1, spanProduct = 1;
        for (int d = 0; d < rank; d++)
        {
            int od = output[d], xd = d >= offset ? shape[d - offset] : 1;
            if (od == 1)
            {
                if (xd != 1) return false;
                continue;
            }
            if (xd == od)
            {
                if (phase == 2) return false;
                phase = 1;
                spanProduct *= od;
            }
            else if (xd == 1)
            {
                if (phase == 1) phase = 2;
                if (phase == 2) innerProduct *= od;
            }
            else return false;
        }
        if (spanProduct == 1) innerProduct = 1;
        if (innerProduct > int.MaxValue || spanProduct > int.MaxValue) return false;
        inner = (int)innerProduct;
        span = (int)spanProduct;
        return true;
    }
}
