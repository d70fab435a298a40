using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// SplitToSequence: splits <c>input</c> along <c>axis</c> into a sequence. Without <c>split</c> every piece has size 1
/// and <c>keepdims</c> = 0 drops the axis; a scalar <c>split</c> gives pieces of that size (the last may be smaller);
/// a 1-D <c>split</c> lists the piece sizes, which must sum to the axis size.
/// </summary>
internal sealed class SplitToSequenceOp : Op
{
    private readonly long _axis;
    private readonly bool _keepDims;

    public SplitToSequenceOp(OpBuildContext ctx)
    {
        _axis = ctx.Attributes.Int("axis", 0);
        _keepDims = ctx.Attributes.Int("keepdims", 1) != 0;
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var x = FlowValues.Tensor(inputs, 0, "input");
        if (x.Rank == 0) throw new ShapeMismatchException("SplitToSequence: the input must have rank 1 or more.");
        int axis = ShapeUtil.NormalizeAxis(_axis, x.Rank);
        int dim = x.Shape[axis];
        var result = new SequenceValue(x.DataType);
        var split = FlowValues.OptTensor(inputs, 1, "split");
        if (split is null)
        {
            for (int i = 0; i < dim; i++)
                result.Items.Add(_keepDims ? TensorBlocks.Slice(x, axis, i, 1) : TensorBlocks.Take(x, axis, i));
            return [result];
        }
        foreach (var (start, length) in Pieces(split, dim))
            result.Items.Add(TensorBlocks.Slice(x, axis, start, length));
        return [result];
    }

    private static List<(int Start, int Length)> Pieces(Tensor split, int dim)
    {
        if (split.DataType is not (DataType.Int32 or DataType.Int64))
            throw new InvalidOperationException($"SplitToSequence: split must be int32 or int64, got {DataTypes.Name(split.DataType)}.");
        var pieces = new List<(int, int)>();
        if (split.Rank == 0)
        {
            long size = split.ToInt64Array()[0];
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(split), $"SplitToSequence: split size {size} must be positive.");
            for (long start = 0; start < dim; start += size) pieces.Add(((int)start, (int)Math.Min(size, dim - start)));
            return pieces;
        }
        if (split.Rank != 1) throw new ShapeMismatchException($"SplitToSequence: split must be a scalar or 1-D, got shape {ShapeUtil.Format(split.Shape)}.");
        long offset = 0;
        foreach (long size in split.ToInt64Array())
        {
            if (size < 0 || offset + size > dim)
                throw new ArgumentOutOfRangeException(nameof(split),
                    $"SplitToSequence: split sizes [{string.Join(",", split.ToInt64Array())}] do not fit an axis of size {dim}.");
            pieces.Add(((int)offset, (int)size));
            offset += size;
        }
        if (offset != dim)
            throw new ArgumentException($"SplitToSequence: split sizes sum to {offset} but the axis has size {dim}.");
        return pieces;
    }
}
