using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// CenterCropPad: sets each listed axis (default all) to the target size of input 1, cropping or zero-padding around
/// the center (the extra element of an odd difference goes to the end).
/// </summary>
internal sealed class CenterCropPad(long[]? axes) : TensorOp
{
    public static CenterCropPad Create(OpBuildContext ctx) => new(ctx.Attributes.Ints("axes"));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var target = inputs.Req(1).ToInt64Array();
        int rank = x.Rank;
        var axisList = axes is null ? Enumerable.Range(0, rank).ToArray() : IndexMath.NormalizeAxes(axes, rank);
        if (target.Length != axisList.Length)
            throw new ShapeMismatchException($"CenterCropPad has {target.Length} sizes for {axisList.Length} axes.");
        var shape = (int[])x.Shape.Clone();
        var srcLo = new int[rank];
        var dstLo = new int[rank];
        for (int i = 0; i < axisList.Length; i++)
        {
            int a = axisList[i];
            shape[a] = ShapeUtil.FromInt64([target[i]])[0];
            int diff = shape[a] - x.Shape[a];
            if (diff > 0) dstLo[a] = diff / 2;
            else srcLo[a] = -diff / 2;
        }
        var kept = new int[rank];
        for (int d = 0; d < rank; d++) kept[d] = Math.Min(shape[d], x.Shape[d]);
        var y = Tensor.Create(x.DataType, shape);
        TensorCopy.CopyRegion(x, srcLo, y, dstLo, kept);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
