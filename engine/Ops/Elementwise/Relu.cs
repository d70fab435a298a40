using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Relu: Y = max(0, X), every numeric type; NaN stays NaN.</summary>
internal sealed class Relu(OpBuildContext ctx) : NumericUnaryOp<Relu.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x < T.Zero ? T.Zero : x;
    }
}
