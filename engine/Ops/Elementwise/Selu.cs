using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Selu: Y = gamma * X for X &gt; 0, gamma * alpha * (e^X - 1) otherwise (ONNX default alpha, gamma). Float types;
/// float16/bfloat16 computed in float.
/// </summary>
internal sealed class Selu(OpBuildContext ctx)
    : FloatUnaryOp<Selu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", DefaultAlpha), ctx.Attributes.Float("gamma", DefaultGamma)))
{
    private const float DefaultAlpha = 1.67326319217681884765625f, DefaultGamma = 1.05070102214813232421875f;

    public readonly struct Kernel(float alpha, float gamma) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            T.CreateTruncating(gamma) * (x > T.Zero ? x : T.CreateTruncating(alpha) * (T.Exp(x) - T.One));
    }
}
