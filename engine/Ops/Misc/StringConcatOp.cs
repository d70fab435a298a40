using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>StringConcat (opset 20): element-wise X + Y of two string tensors with numpy broadcasting.</summary>
internal sealed class StringConcatOp : TensorOp
{
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(DataType.String)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = Strings(inputs.Req(0), "X");
        var y = Strings(inputs.Req(1), "Y");
        var shape = ShapeUtil.Broadcast(x.Shape, y.Shape);
        var result = new Tensor<string>(shape);
        var xi = BroadcastIndex.Map(x.Shape, shape);
        var yi = BroadcastIndex.Map(y.Shape, shape);
        var xs = x.Span;
        var ys = y.Span;
        var rs = result.Span;
        for (int i = 0; i < rs.Length; i++) rs[i] = string.Concat(xs[xi[i]], ys[yi[i]]);
        return [result];
    }

    private static Tensor<string> Strings(Tensor t, string name) => t as Tensor<string>
        ?? throw new InvalidOperationException($"StringConcat: {name} must be a string tensor, got {DataTypes.Name(t.DataType)}.");
}
