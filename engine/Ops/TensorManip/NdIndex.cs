using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Resolves the index tuples of GatherND / ScatterND: indices[..., k] rows address slices of a data tensor (after
/// <c>batchDims</c> leading dims shared with the indices). Gives each row's flat start and the slice length.
/// </summary>
internal readonly record struct NdIndex(int[] Starts, int Block, int K)
{
    public static NdIndex Resolve(int[] data, Tensor indices, int batchDims, string op)
    {
        if (indices.Rank < 1) throw new ShapeMismatchException($"{op} indices must have rank 1 or more.");
        int k = indices.Shape[^1];
        if (batchDims < 0 || batchDims > 0 && batchDims >= Math.Min(data.Length, indices.Rank))
            throw new ArgumentOutOfRangeException(nameof(batchDims), $"{op} batch_dims {batchDims} is out of range.");
        if (batchDims + k > data.Length)
            throw new ShapeMismatchException(
                $"{op} index rows of length {k} do not fit data of shape {ShapeUtil.Format(data)} with batch_dims {batchDims}.");
        for (int d = 0; d < batchDims; d++)
            if (data[d] != indices.Shape[d])
                throw new ShapeMismatchException(
                    $"{op} batch dim {d} differs: data {ShapeUtil.Format(data)}, indices {ShapeUtil.Format(indices.Shape)}.");
        var strides = ShapeUtil.Strides(data);
        int block = IndexMath.Product(data, batchDims + k, data.Length);
        int batchSize = batchDims == 0 ? 0 : strides[batchDims - 1];
        int rows = IndexMath.Product(indices.Shape, 0, indices.Rank - 1);
        int rowsPerBatch = batchDims == 0 ? Math.Max(rows, 1) : IndexMath.Product(indices.Shape, batchDims, indices.Rank - 1);
        var idx = indices.ToInt64Array();
        var starts = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int s = rowsPerBatch == 0 ? 0 : r / rowsPerBatch * batchSize;
            for (int j = 0; j < k; j++)
                s += IndexMath.Normalize(idx[r * k + j], data[batchDims + j], $"{op} index") * strides[batchDims + j];
            starts[r] = s;
        }
        return new NdIndex(starts, block, k);
    }
}
