using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Flat offsets into a tensor of shape <c>target</c> for element-wise index ops (GatherElements, ScatterElements):
/// element i of <c>indices</c> addresses target[i with i_axis replaced by indices[i]].
/// </summary>
internal static class ElementOffsets
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Along(int[] target, Tensor indices, int axis, string op)
    {
        if (indices.Rank != target.Length)
            throw new ShapeMismatchException($"{op} indices have rank {indices.Rank}, data has rank {target.Length}.");
        var strides = ShapeUtil.Strides(target);
        var tables = new int[target.Length][];
        for (int d = 0; d < target.Length; d++)
        {
            if (d != axis && indices.Shape[d] > target[d])
                throw new ShapeMismatchException(
                    $"{op} indices shape {ShapeUtil.Format(indices.Shape)} exceeds data shape {ShapeUtil.Format(target)} on axis {d}.");
            tables[d] = d == axis ? new int[indices.Shape[d]] : IndexMath.Steps(indices.Shape[d], strides[d]);
        }
        var offsets = IndexMath.Offsets(tables);
        var idx = indices.ToInt64Array();
        int dim = target[axis], step = strides[axis];
        for (int i = 0; i < offsets.Length; i++) offsets[i] += IndexMath.Normalize(idx[i], dim, $"{op} index") * step;
        return offsets;
    }
}
