using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Base of the one-input elementwise ops: Y = f(X), same shape.</summary>
internal abstract class UnaryOp(OpBuildContext ctx) : TensorOp
{
    protected string Name { get; } = ctx.Node.OpType;

    protected sealed override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        return [TryFast(x) ?? Apply(x)];
    }

    protected abstract Tensor Apply(Tensor x);

    /// <summary>The SIMD path (see <see cref="FastElementwise"/>) where the op has one for x's type, else null.</summary>
    protected virtual Tensor? TryFast(Tensor x) => null;
}

/// <summary>A unary op with one formula for every numeric type (bfloat16 via float).</summary>
internal abstract class NumericUnaryOp<TK>(OpBuildContext ctx, TK kernel) : UnaryOp(ctx) where TK : struct, INumericUnary
{
    protected override Tensor Apply(Tensor x) => UnaryLoop.Numeric(Name, x, kernel);
}

/// <summary>
/// A unary float-math op on float, double, float16 and bfloat16 (the 16-bit types computed in float).
/// </summary>
internal abstract class FloatUnaryOp<TK>(OpBuildContext ctx, TK kernel) : UnaryOp(ctx) where TK : struct, IFloatUnary
{
    protected override Tensor Apply(Tensor x) => UnaryLoop.Float(Name, x, kernel);
}
