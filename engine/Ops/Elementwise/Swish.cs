using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Swish: Y = X * sigmoid(alpha * X) (alpha default 1). Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Swish(OpBuildContext ctx)
    : FloatUnaryOp<Swish.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 1f)))
{
    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x * FloatMath.Sigmoid(T.CreateTruncating(alpha) * x);
    }
}
