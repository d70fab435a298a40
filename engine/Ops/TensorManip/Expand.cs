using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Expand: broadcasts the input to the numpy broadcast of its shape and the given shape (input 1).</summary>
internal sealed class Expand : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var target = inputs.Req(1).ToInt64Array();
        var shape = ShapeUtil.Broadcast(x.Shape, ShapeUtil.FromInt64(target));
        return [TensorCopy.View(x, 0, ShapeUtil.BroadcastStrides(x.Shape, shape.Length), shape)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        var target = TypeRules.ConstInts(node, 1);
        if (TypeRules.At(inputs, 0)?.Shape is not { } s || target is null || s.Any(d => !d.IsKnown)) return [TypeRules.Like(inputs, 0)];
        var known = s.Select(d => (int)d.Value).ToArray();
        return [TypeRules.Like(inputs, 0, TypeRules.Known(ShapeUtil.Broadcast(known, ShapeUtil.FromInt64(target))))];
    }
}
