using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// EyeLike: a matrix shaped like the 2-D input with ones on diagonal k (k &gt; 0 above the main one) and zeros elsewhere;
/// element type from the dtype attribute, else the input's.
/// </summary>
internal sealed class EyeLike(DataType? dtype, long k) : TensorOp
{
    public static EyeLike Create(OpBuildContext ctx)
    {
        DataType? dtype = ctx.Attributes.Has("dtype") ? (DataType)ctx.Attributes.Int("dtype") : null;
        if (dtype is { } t && (!DataTypes.IsSupported(t) || t == DataType.String))
            throw new NotSupportedException($"EyeLike dtype {DataTypes.Name(t)} is not supported.");
        return new(dtype, ctx.Attributes.Int("k", 0));
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank != 2) throw new ShapeMismatchException("EyeLike input must be 2-D.");
        var y = Tensor.Create(dtype ?? x.DataType, (int[])x.Shape.Clone());
        int rows = x.Shape[0], cols = x.Shape[1];
        for (long r = Math.Max(0, -k); r < rows && r + k < cols; r++) y.SetDouble((int)(r * cols + r + k), 1);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        TypeRules.At(inputs, 0) is { } x ? [TypeInfo.Tensor(dtype ?? x.ElementType, x.Shape)] : null;
}
