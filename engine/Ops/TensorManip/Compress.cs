using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Compress: keeps the slices along axis whose 1-D bool condition entry is true (entries past the condition's end count
/// as false); without axis the input is flattened first.
/// </summary>
internal sealed class Compress(long? axis) : TensorOp
{
    public static Compress Create(OpBuildContext ctx) => new(ctx.Attributes.Has("axis") ? ctx.Attributes.Int("axis") : null);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var condition = inputs.Req(1);
        if (condition.Rank != 1) throw new ShapeMismatchException("Compress condition must be 1-D.");
        if (axis is null) x = x.Reshape([x.Length]);
        int a = ShapeUtil.NormalizeAxis(axis ?? 0, x.Rank);
        int dim = x.Shape[a];
        if (condition.Length > dim)
            throw new ShapeMismatchException($"Compress condition has {condition.Length} entries for an axis of size {dim}.");
        var keep = new List<int>();
        for (int i = 0; i < condition.Length; i++)
            if (condition.GetDouble(i) != 0) keep.Add(i);
        int outer = IndexMath.Product(x.Shape, 0, a), inner = IndexMath.Product(x.Shape, a + 1, x.Rank);
        var shape = (int[])x.Shape.Clone();
        shape[a] = keep.Count;
        var y = Tensor.Create(x.DataType, shape);
        TensorCopy.Gather(x, IndexMath.RowStarts(outer, dim, inner, keep.ToArray()), inner, y);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
