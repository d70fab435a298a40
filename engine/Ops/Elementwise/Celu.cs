using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Celu: Y = max(0, X) + min(0, alpha * (e^(X / alpha) - 1)) (alpha default 1). Float types; float16/bfloat16 computed
/// in float.
/// </summary>
internal sealed class Celu(OpBuildContext ctx)
    : FloatUnaryOp<Celu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 1f)))
{
    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x > T.Zero ? x : T.CreateTruncating(alpha) * (T.Exp(x / T.CreateTruncating(alpha)) - T.One);
    }
}
