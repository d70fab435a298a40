using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// ThresholdedRelu: Y = X for X &gt; alpha, 0 otherwise (alpha default 1). Float types; float16/bfloat16 computed in
/// float.
/// </summary>
internal sealed class ThresholdedRelu(OpBuildContext ctx)
    : FloatUnaryOp<ThresholdedRelu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 1f)))
{
    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x > T.CreateTruncating(alpha) ? x : T.Zero;
    }
}
