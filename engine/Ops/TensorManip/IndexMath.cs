using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Index and axis arithmetic shared by the family: index normalization, axis lists, flat offset tables.</summary>
internal static class IndexMath
{
    /// <summary>Maps a possibly negative index into [0, dim); throws when it is out of range.</summary>
    public static int Normalize(long index, int dim, string what)
    {
        long i = index < 0 ? index + dim : index;
        if (i < 0 || i >= dim)
            throw new ArgumentOutOfRangeException(what, $"{what} {index} is out of range for a dimension of size {dim}.");
        return (int)i;
    }

    /// <summary>Normalizes an axis list against <paramref name="rank"/> and rejects duplicates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] NormalizeAxes(ReadOnlySpan<long> axes, int rank)
    {
        var r = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] < -rank || axes[i] >= rank)
                throw new ArgumentOutOfRangeException(nameof(axes), $"Axis {axes[i]} is out of range for rank {rank}.");
            r[i] = (int)(axes[i] < 0 ? axes[i] + rank : axes[i]);
            for (int j = 0; j < i; j++)
                if (r[j] == r[i]) throw new ArgumentException($"Axis {axes[i]} is repeated.");
        }
        return r;
    }

    /// <summary>Product of shape[from..to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return checked((int)p);
    }

    /// <summary>The table j·stride for j in [0, len).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Steps(int len, int stride)
    {
        var r = new int[len];
        for (int j = 0; j < len; j++) r[j] = j * stride;
        return r;
    }

    /// <summary>
    /// Flat offsets of every index of the shape (axisOffsets[d].Length per dim), row-major:
    /// offsets[i] = Σ_d axisOffsets[d][i_d]. With <see cref="Steps"/> tables this is a strided walk; other tables give
    /// separable maps (pad modes, reversed or clamped axes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Offsets(int[][] axisOffsets)
    {
        long count = 1;
        foreach (var a in axisOffsets) count *= a.Length;
        TensorLimits.CheckAllocation(count, DataType.Int32);
        var cur = new int[count];
        int filled = 1;
        cur[0] = 0;
        if (count == 0) return cur;
        // expand in place from the innermost finished dim outward: each pass multiplies the filled prefix by one dim
        foreach (var table in axisOffsets)
        {
            int len = table.Length;
            for (int p = filled - 1; p >= 0; p--)
            {
                int basis = cur[p];
                for (int j = len - 1; j >= 0; j--) cur[p * len + j] = basis + table[j];
            }
            filled *= len;
        }
        return cur;
    }

    /// <summary>
    /// Flat starts of the inner blocks picked along an axis: for a tensor viewed as [outer, dim, inner], the block of
    /// row rows[j] in outer slice o, ordered (o, j).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] RowStarts(int outer, int dim, int inner, ReadOnlySpan<int> rows)
    {
        var starts = new int[checked(outer * rows.Length)];
        for (int o = 0, k = 0; o < outer; o++)
            foreach (int r in rows) starts[k++] = (o * dim + r) * inner;
        return starts;
    }

    /// <summary>Reads an optional integer tensor (axes, shape, pads...) as longs; null when omitted.</summary>
    public static long[]? ReadInts(Tensor? t) => t?.ToInt64Array();
}
