using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Opset 1-6 binary ops: with broadcast=1 and an axis attribute, B's shape lines up with A's dims starting at axis.
/// Without an axis B aligns with A's trailing dims, which numpy-style broadcasting already does.
/// </summary>
internal readonly struct LegacyBroadcast
{
    private readonly long? _axis;

    public LegacyBroadcast(OpBuildContext ctx)
    {
        _axis = ctx.Opset < 7 && ctx.Attributes.Int("broadcast", 0) != 0 && ctx.Attributes.Has("axis")
            ? ctx.Attributes.Int("axis")
            : null;
    }

    /// <summary>B reshaped so that numpy broadcasting against A gives the legacy alignment.</summary>
    public Tensor Align(Tensor a, Tensor b)
    {
        if (_axis is not { } axis || b.Rank == a.Rank) return b;
        int start = ShapeUtil.NormalizeAxis(axis, a.Rank);
        if (start + b.Rank > a.Rank)
            throw new ShapeMismatchException(
                $"Legacy broadcast: B {ShapeUtil.Format(b.Shape)} does not fit A {ShapeUtil.Format(a.Shape)} at axis {axis}.");
        var shape = new int[a.Rank - start];
        shape.AsSpan().Fill(1);
        b.Shape.CopyTo(shape, 0);
        return b.Reshape(shape);
    }
}
