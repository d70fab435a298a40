using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// LeakyRelu: Y = X for X &gt;= 0, alpha * X otherwise (alpha default 0.01). Float types; float16/bfloat16 computed in
/// float.
/// </summary>
internal sealed class LeakyRelu(OpBuildContext ctx)
    : FloatUnaryOp<LeakyRelu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 0.01f)))
{
    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x < T.Zero ? T.CreateTruncating(alpha) * x : x;
    }
}
