using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>Source element index for every element of a broadcast output shape.</summary>
internal static class BroadcastIndex
{
    /// <summary>For each element of <paramref name="outShape"/> (row-major), the index it reads in a tensor of <paramref name="shape"/>.</summary>
    public static int[] Map(int[] shape, int[] outShape)
    {
        int rank = outShape.Length;
        var strides = ShapeUtil.BroadcastStrides(shape, rank);
        var map = new int[ShapeUtil.ElementCount(outShape)];
        var index = new int[rank];
        int offset = 0;
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = offset;
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < outShape[d]) break;
                offset -= strides[d] * outShape[d];
                index[d] = 0;
            }
        }
        return map;
    }
}
