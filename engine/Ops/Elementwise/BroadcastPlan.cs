using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// How operands of a broadcast walk the output: the output dims with size-1 dims dropped and adjacent dims merged where
/// every operand is contiguous (or broadcast) across them, plus each operand's stride per merged dim (0 = broadcast).
/// The innermost merged dim is the row a loop runs over; <see cref="Advance"/> steps the outer dims like an odometer.
/// </summary>
internal sealed class BroadcastPlan
{
    private BroadcastPlan(int[] dims, int[][] strides)
    {
        Dims = dims;
        Strides = strides;
    }

    /// <summary>Merged dims, outermost first; never empty (a scalar output is one dim of size 1).</summary>
    public int[] Dims { get; }

    /// <summary>Strides[operand][dim] in elements of that operand.</summary>
    public int[][] Strides { get; }

    public int Rank => Dims.Length;

    /// <summary>Length of the innermost merged dim.</summary>
    public int RowLength => Dims[^1];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BroadcastPlan Create(int[] outShape, params int[][] operandShapes)
    {
        int rank = outShape.Length, count = operandShapes.Length;
        var full = new int[count][];
        for (int k = 0; k < count; k++) full[k] = ShapeUtil.BroadcastStrides(operandShapes[k], rank);

        var dims = new List<int>(rank);
        var strides = new List<int>[count];
        for (int k = 0; k < count; k++) strides[k] = new List<int>(rank);
        // Walk innermost first; merge dim d into the current innermost group when every operand steps over the group
        // exactly once per step of d.
        for (int d = rank - 1; d >= 0; d--)
        {
            if (outShape[d] == 1) continue;
            int last = dims.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; k < count && merge; k++)
                merge = full[k][d] == (long)strides[k][last] * dims[last];
            if (merge)
            {
                dims[last] *= outShape[d];
                continue;
            }
            dims.Add(outShape[d]);
            for (int k = 0; k < count; k++) strides[k].Add(full[k][d]);
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            for (int k = 0; k < count; k++) strides[k].Add(0);
        }
        dims.Reverse();
        var s = new int[count][];
        for (int k = 0; k < count; k++)
        {
            strides[k].Reverse();
            s[k] = strides[k].ToArray();
        }
        return new BroadcastPlan(dims.ToArray(), s);
    }

    /// <summary>
    /// Moves to the next row: increments the odometer <paramref name="index"/> over the outer dims and updates each
    /// operand's start offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Advance(Span<int> index, Span<int> offsets)
    {
        for (int d = Dims.Length - 2; d >= 0; d--)
        {
            for (int k = 0; k < offsets.Length; k++) offsets[k] += Strides[k][d];
            if (++index[d] < Dims[d]) return;
            for (int k = 0; k < offsets.Length; k++) offsets[k] -= Strides[k][d] * Dims[d];
            index[d] = 0;
        }
    }
}
