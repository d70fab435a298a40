using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Squeeze: removes the listed size-1 axes (negative counts from the back), or every size-1 axis when none are given.
/// Axes come from an attribute before opset 13 and from the optional input 1 since. No copy is made.
/// </summary>
internal sealed class Squeeze(long[]? axesAttribute, bool axesFromInput) : TensorOp
{
    public static Squeeze Create(OpBuildContext ctx) =>
        ctx.Opset < 13 ? new(ctx.Attributes.Ints("axes"), false) : new(null, true);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var axes = axesFromInput ? IndexMath.ReadInts(inputs.Opt(1)) : axesAttribute;
        var drop = new bool[x.Rank];
        if (axes is null)
            for (int i = 0; i < x.Rank; i++) drop[i] = x.Shape[i] == 1;
        else
            foreach (int a in IndexMath.NormalizeAxes(axes, x.Rank))
            {
                if (x.Shape[a] != 1)
                    throw new ShapeMismatchException($"Squeeze axis {a} of {ShapeUtil.Format(x.Shape)} has size {x.Shape[a]}, not 1.");
                drop[a] = true;
            }
        var shape = new List<int>(x.Rank);
        for (int i = 0; i < x.Rank; i++)
            if (!drop[i]) shape.Add(x.Shape[i]);
        return [x.Reshape(shape.ToArray())];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        var axes = axesFromInput ? TypeRules.ConstInts(node, 1) : axesAttribute;
        if (TypeRules.At(inputs, 0)?.Shape is not { } s || axesFromInput && node.HasInput(1) && axes is null)
            return [TypeRules.Like(inputs, 0)];
        if (axes is null)
            return [TypeRules.Like(inputs, 0, s.All(d => d.IsKnown) ? s.Where(d => d.Value != 1).ToArray() : null)];
        var drop = IndexMath.NormalizeAxes(axes, s.Length);
        return [TypeRules.Like(inputs, 0, s.Where((_, i) => !drop.Contains(i)).ToArray())];
    }
}
