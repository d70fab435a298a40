using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Row-major walks over a shape with arbitrary per-dim strides (0 for broadcast dims, summed strides for diagonals):
/// the one odometer behind the family's broadcasting, permuting and batch-offset helpers.
/// </summary>
internal static class StridedOffsets
{
    /// <summary>For each element of <paramref name="shape"/> in row-major order, Σ index[d]·strides[d].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Of(int[] shape, int[] strides)
    {
        int n = ShapeUtil.ElementCount(shape);
        TensorLimits.CheckAllocation(n, DataType.Int32);
        var r = new int[n];
        var idx = new int[shape.Length];
        long off = 0;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = checked((int)off);
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                off += strides[d];
                if (++idx[d] < shape[d]) break;
                off -= (long)strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        return r;
    }
}
