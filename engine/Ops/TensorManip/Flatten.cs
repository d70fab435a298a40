using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Flatten: views the input as a matrix [prod(dims before axis), prod(dims from axis)] (no copy); axis in [-rank, rank],
/// default 1.
/// </summary>
internal sealed class Flatten(long axis) : TensorOp
{
    public static Flatten Create(OpBuildContext ctx) => new(ctx.Attributes.Int("axis", 1));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        if (axis < -rank || axis > rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Flatten axis {axis} is out of range for rank {rank}.");
        int a = (int)(axis < 0 ? axis + rank : axis);
        return [x.Reshape([IndexMath.Product(x.Shape, 0, a), IndexMath.Product(x.Shape, a, rank)])];
    }
}
