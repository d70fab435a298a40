using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Elu: Y = X for X &gt;= 0, alpha * (e^X - 1) otherwise (alpha default 1). Float types; float16/bfloat16 computed in
/// float.
/// </summary>
internal sealed class Elu(OpBuildContext ctx)
    : FloatUnaryOp<Elu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 1f)))
{
    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x < T.Zero ? T.CreateTruncating(alpha) * (T.Exp(x) - T.One) : x;
    }
}
