namespace NativeInfer.Kernels.Gpu.Reduce;

/// <summary>
/// One reduction for <see cref="GpuReduction"/>: X of <see cref="Shape"/> (row-major, rank ≤ 8) reduced over
/// <see cref="Axes"/> (any set, negative counted from the end, empty = all axes unless
/// <see cref="NoopWithEmptyAxes"/>). Y holds the kept dims in order; keepdims changes only Y's shape, not its
/// layout, so it is not a parameter here.
/// </summary>
public readonly record struct GpuReduceParams(int[] Shape, int[] Axes, GpuReduceKind Kind, bool NoopWithEmptyAxes = false)
{
    /// <summary>Elements of Y.</summary>
    public long OutputElements
    {
        get
        {
            var r = Reduced();
            long n = 1;
            for (int i = 0; i < Shape.Length; i++) if (!r[i]) n *= Shape[i];
            return n;
        }
    }

    /// <summary>Which axes are reduced (validated).</summary>
    public bool[] Reduced()
    {
        ArgumentNullException.ThrowIfNull(Shape);
        var r = new bool[Shape.Length];
        if (Axes is null || Axes.Length == 0)
        {
            if (!NoopWithEmptyAxes) Array.Fill(r, true);
            return r;
        }
        foreach (int a0 in Axes)
        {
            int a = a0 < 0 ? a0 + Shape.Length : a0;
            if (a < 0 || a >= Shape.Length) throw new ArgumentException($"Reduce axis {a0} is out of range for rank {Shape.Length}.");
            if (r[a]) throw new ArgumentException($"Reduce axis {a0} is repeated.");
            r[a] = true;
        }
        return r;
    }
}
