namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// A Slice of X of <see cref="Shape"/> for <see cref="GpuSlice"/>, normalized: for every dim the first element
/// <see cref="Starts"/>[i] (in range), the <see cref="Steps"/>[i] (non-zero, negative walks backwards) and the output
/// length <see cref="OutShape"/>[i]. <see cref="FromOnnx"/> applies ONNX's clamping rules.
/// </summary>
public readonly record struct GpuSliceParams(int[] Shape, int[] Starts, int[] Steps, int[] OutShape)
{
    /// <summary>From ONNX Slice inputs (starts, ends, optional axes and steps; negative values count from the end).</summary>
    public static GpuSliceParams FromOnnx(int[] shape, long[] starts, long[] ends, long[]? axes = null, long[]? steps = null)
    {
        int rank = shape.Length;
        if (ends.Length != starts.Length || axes is not null && axes.Length != starts.Length || steps is not null && steps.Length != starts.Length)
            throw new ArgumentException("Slice: starts, ends, axes and steps must have the same length.");
        var st = new int[rank];
        var sp = new int[rank];
        var outShape = (int[])shape.Clone();
        for (int i = 0; i < rank; i++) sp[i] = 1;
        var seen = new bool[rank];
        for (int j = 0; j < starts.Length; j++)
        {
            long a = axes is null ? j : axes[j];
            if (a < 0) a += rank;
            if (a < 0 || a >= rank || seen[a]) throw new ArgumentException($"Slice axis {(axes is null ? j : axes[j])} is out of range or repeated.");
            seen[a] = true;
            long d = shape[a], step = steps is null ? 1 : steps[j];
            if (step == 0) throw new ArgumentException("Slice steps must be non-zero.");
            long s = starts[j], e = ends[j];
            if (s < 0) s += d;
            if (e < 0) e += d;
            if (step > 0)
            {
                s = Math.Clamp(s, 0, d);
                e = Math.Clamp(e, 0, d);
            }
            else
            {
                s = Math.Clamp(s, 0, d - 1);
                e = Math.Clamp(e, -1, d - 1);
            }
            long n = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
            n = Math.Max(0, n);
            if (step is > int.MaxValue or < int.MinValue) step = step > 0 ? d : -d;   // at most one element either way
            st[a] = (int)Math.Max(0, s);
            sp[a] = (int)step;
            outShape[a] = (int)n;
        }
        return new GpuSliceParams(shape, st, sp, outShape);
    }
}
