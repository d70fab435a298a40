using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// ConcatFromSequence: joins the tensors of a non-empty sequence along <c>axis</c>. With <c>new_axis</c> = 1 they are
/// stacked along a new axis (all shapes equal, axis in [-r-1, r]); otherwise concatenated (shapes equal except on the
/// axis, axis in [-r, r-1]).
/// </summary>
internal sealed class ConcatFromSequenceOp : Op
{
    private readonly long _axis;
    private readonly bool _newAxis;

    public ConcatFromSequenceOp(OpBuildContext ctx)
    {
        _axis = ctx.Attributes.Int("axis");
        long newAxis = ctx.Attributes.Int("new_axis", 0);
        if (newAxis is not (0 or 1)) throw new NotSupportedException($"ConcatFromSequence: new_axis must be 0 or 1, got {newAxis}.");
        _newAxis = newAxis == 1;
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var seq = FlowValues.Sequence(inputs, 0, "input_sequence");
        if (seq.Items.Count == 0) throw new ArgumentException("ConcatFromSequence: the sequence is empty.");
        int rank = seq.Items[0].Rank + (_newAxis ? 1 : 0);
        int axis = ShapeUtil.NormalizeAxis(_axis, rank);
        return [TensorBlocks.Concat(seq.Items, axis, _newAxis)];
    }
}
