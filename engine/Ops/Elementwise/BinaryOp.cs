using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Base of the two-input broadcasting ops: reads A and B, applies the opset 1-6 axis alignment when asked, and hands
/// the pair to <see cref="Apply"/>.
/// </summary>
internal abstract class BinaryOp : TensorOp
{
    private readonly LegacyBroadcast _legacy;

    protected BinaryOp(OpBuildContext ctx)
    {
        Name = ctx.Node.OpType;
        _legacy = new LegacyBroadcast(ctx);
    }

    protected string Name { get; }

    protected sealed override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        return [Apply(a, _legacy.Align(a, inputs.Req(1)))];
    }

    protected abstract Tensor Apply(Tensor a, Tensor b);
}

/// <summary>A binary op defined by one numeric formula for every numeric element type.</summary>
internal abstract class NumericBinaryOp<TK>(OpBuildContext ctx, TK kernel) : BinaryOp(ctx) where TK : struct, INumericBinary
{
    protected override Tensor Apply(Tensor a, Tensor b) => TryFast(a, b) ?? NumericBinary.Apply(Name, a, b, kernel);

    /// <summary>The SIMD path (see <see cref="FastElementwise"/>) where the op has one for the operand types, else null.</summary>
    protected virtual Tensor? TryFast(Tensor a, Tensor b) => null;
}

/// <summary>A comparison with a bool output, for every numeric element type.</summary>
internal abstract class ComparisonOp<TK>(OpBuildContext ctx, TK kernel) : BinaryOp(ctx) where TK : struct, INumericPredicate
{
    protected override Tensor Apply(Tensor a, Tensor b) => NumericBinary.Compare(Name, a, b, kernel);
}
