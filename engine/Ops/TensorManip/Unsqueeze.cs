using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Unsqueeze: inserts size-1 axes at the listed positions of the output (negative counts from the back of the output
/// rank; any order). Axes come from an attribute before opset 13 and from input 1 since. No copy is made.
/// </summary>
internal sealed class Unsqueeze(long[]? axesAttribute) : TensorOp
{
    public static Unsqueeze Create(OpBuildContext ctx) =>
        new(ctx.Opset < 13 ? ctx.Attributes.Ints("axes") ?? throw new ArgumentException("Unsqueeze needs an axes attribute.") : null);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var axes = axesAttribute ?? inputs.Req(1).ToInt64Array();
        int rank = x.Rank + axes.Length;
        var inserted = new bool[rank];
        foreach (int a in IndexMath.NormalizeAxes(axes, rank)) inserted[a] = true;
        var shape = new int[rank];
        for (int i = 0, src = 0; i < rank; i++) shape[i] = inserted[i] ? 1 : x.Shape[src++];
        return [x.Reshape(shape)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        var axes = axesAttribute ?? TypeRules.ConstInts(node, 1);
        if (TypeRules.At(inputs, 0)?.Shape is not { } s || axes is null) return [TypeRules.Like(inputs, 0)];
        int rank = s.Length + axes.Length;
        var inserted = IndexMath.NormalizeAxes(axes, rank);
        var shape = new Dim[rank];
        for (int i = 0, src = 0; i < rank; i++) shape[i] = inserted.Contains(i) ? Dim.Known(1) : s[src++];
        return [TypeRules.Like(inputs, 0, shape)];
    }
}
