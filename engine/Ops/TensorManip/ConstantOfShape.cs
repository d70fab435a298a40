using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// ConstantOfShape: a tensor of the shape given by input 0 (1-D int64) filled with the single element of the value
/// attribute (default float32 0).
/// </summary>
internal sealed class ConstantOfShape(Tensor value) : TensorOp
{
    public static ConstantOfShape Create(OpBuildContext ctx)
    {
        var value = ctx.Attributes.Tensor("value") ?? new Tensor<float>([1]);
        if (value.Length != 1) throw new ArgumentException($"ConstantOfShape value must hold one element, got {value.Length}.");
        return new(value);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var y = Tensor.Create(value.DataType, ShapeUtil.FromInt64(inputs.Req(0).ToInt64Array()));
        TensorCopy.Fill(y, value, 0);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(value.DataType, TypeRules.ConstInts(node, 0)?.Select(Dim.Known).ToArray())];
}
