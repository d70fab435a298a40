using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>ai.onnx.ml Binarizer (opset 1): 1 where X &gt; threshold, else 0, in X's element type.</summary>
internal sealed class BinarizerOp(OpBuildContext ctx) : TensorOp
{
    private readonly double _threshold = ctx.Attributes.Float("threshold", 0f);

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.Like(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (!DataTypes.IsFloatingPoint(x.DataType) && !DataTypes.IsInteger(x.DataType))
            throw new NotSupportedException($"Binarizer: element type {DataTypes.Name(x.DataType)} is not supported.");
        var y = Tensor.Create(x.DataType, (int[])x.Shape.Clone());
        for (int i = 0; i < x.Length; i++) y.SetDouble(i, x.GetDouble(i) > _threshold ? 1 : 0);
        return [y];
    }
}
