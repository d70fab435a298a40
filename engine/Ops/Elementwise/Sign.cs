using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sign: Y = 1, 0 or -1 by the sign of X, every numeric type; NaN stays NaN.</summary>
internal sealed class Sign(OpBuildContext ctx) : NumericUnaryOp<Sign.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : x;
    }
}
