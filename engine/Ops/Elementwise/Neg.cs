using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Neg: Y = -X, every numeric type (integers wrap).</summary>
internal sealed class Neg(OpBuildContext ctx) : NumericUnaryOp<Neg.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T> => -x;
    }
}
