using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Gather: picks entries of data along axis at the given indices (negative counts from the back; out of range throws).
/// Output shape = data.shape[..axis] + indices.shape + data.shape[axis+1..].
/// </summary>
internal sealed class Gather(long axis) : TensorOp
{
    public static Gather Create(OpBuildContext ctx) => new(ctx.Attributes.Int("axis", 0));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var data = inputs.Req(0);
        var indices = inputs.Req(1);
        if (data.Rank == 0) throw new ShapeMismatchException("Gather data must have rank 1 or more.");
        int a = ShapeUtil.NormalizeAxis(axis, data.Rank);
        int dim = data.Shape[a];
        int outer = IndexMath.Product(data.Shape, 0, a), inner = IndexMath.Product(data.Shape, a + 1, data.Rank);
        int[] shape = [.. data.Shape[..a], .. indices.Shape, .. data.Shape[(a + 1)..]];
        var y = RawTensor.Uninitialized(data.DataType, shape);   // every block is written
        if (y.Length == 0) return [y];
        var idx = indices.ToInt64Array();
        var rows = new int[idx.Length];
        for (int j = 0; j < idx.Length; j++) rows[j] = IndexMath.Normalize(idx[j], dim, "Gather index");
        TensorCopy.Gather(data, IndexMath.RowStarts(outer, dim, inner, rows), inner, y);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (TypeRules.At(inputs, 0)?.Shape is not { Length: > 0 } s || TypeRules.At(inputs, 1)?.Shape is not { } idx)
            return [TypeRules.Like(inputs, 0)];
        int a = ShapeUtil.NormalizeAxis(axis, s.Length);
        return [TypeRules.Like(inputs, 0, [.. s[..a], .. idx, .. s[(a + 1)..]])];
    }
}
