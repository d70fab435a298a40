using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// OneHot: inserts a new axis (attribute axis, default -1 = last) of size depth; the output holds values[1] where the
/// axis position equals the index and values[0] elsewhere. Indices in [-depth, -1] count from the back; indices out of
/// range give an all-off row. The output element type is that of values.
/// </summary>
internal sealed class OneHot(long axis) : TensorOp
{
    public static OneHot Create(OpBuildContext ctx) => new(ctx.Attributes.Int("axis", -1));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var indices = inputs.Req(0);
        var depthTensor = inputs.Req(1);
        var values = inputs.Req(2);
        if (depthTensor.Length != 1) throw new ShapeMismatchException("OneHot depth must be a scalar.");
        if (values.Length != 2) throw new ShapeMismatchException("OneHot values must hold [off, on].");
        double depthValue = Math.Truncate(depthTensor.GetDouble(0));
        if (!(depthValue >= 1 && depthValue <= Array.MaxLength)) throw new ArgumentOutOfRangeException("depth", $"OneHot depth {depthValue} is invalid.");
        int depth = (int)depthValue;
        int rank = indices.Rank + 1;
        if (axis < -rank || axis >= rank) throw new ArgumentOutOfRangeException(nameof(axis), $"OneHot axis {axis} is out of range for output rank {rank}.");
        int a = (int)(axis < 0 ? axis + rank : axis);
        int[] shape = [.. indices.Shape[..a], depth, .. indices.Shape[a..]];
        int outer = IndexMath.Product(indices.Shape, 0, a), inner = IndexMath.Product(indices.Shape, a, indices.Rank);
        var y = Tensor.Create(values.DataType, shape);
        var pair = values.Reshape([2]);
        TensorCopy.Fill(y, pair, 0);
        var hot = new List<int>();
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double v = Math.Truncate(indices.GetDouble(o * inner + i));
                if (v < 0) v += depth;
                if (v >= 0 && v < depth) hot.Add((o * depth + (int)v) * inner + i);
            }
        TensorCopy.MoveBlocks(pair, Enumerable.Repeat(1, hot.Count).ToArray(), y, hot.ToArray(), hot.Count, 1); // on value at each hit
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeRules.Like(inputs, 2)];
}
